// Manager screen for drops: define a drop, its ladder, tiers, limits and allotments (issue 6).
export function DropsScreen() {
  return <h2>Drops</h2>;
}
