// Placeholder: replaced by the page's owner.
export function DashboardPage() {
  return <main className="p-6">DashboardPage</main>;
}
