// Placeholder: replaced by the page's owner.
export function ExecutionDetailPage() {
  return <main className="p-6">ExecutionDetailPage</main>;
}
