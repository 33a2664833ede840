// Manager screen: end of day, drop KPIs and the exceptions inbox (issue 8).
export function ManagerScreen() {
  return <h2>Reports</h2>;
}
