// The drop board: a read-only, big-type screen for a second monitor or tablet (issue 6).
export function DropBoard() {
  return <h1>Drops</h1>;
}
