// Placeholder: replaced by the page's owner.
export function NodeLogPage() {
  return <main className="p-6">NodeLogPage</main>;
}
