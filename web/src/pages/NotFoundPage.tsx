// Placeholder: replaced by the page's owner.
export function NotFoundPage() {
  return <main className="p-6">NotFoundPage</main>;
}
