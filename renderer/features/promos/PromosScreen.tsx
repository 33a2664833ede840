// Manager screen for promo campaigns and code batches (issue 7).
export function PromosScreen() {
  return <h2>Promos</h2>;
}
