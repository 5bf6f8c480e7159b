// Placeholder: replaced by the page's owner.
export function ExecutionsPage() {
  return <main className="p-6">ExecutionsPage</main>;
}
