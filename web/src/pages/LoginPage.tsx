// Placeholder: replaced by the page's owner.
export function LoginPage() {
  return <main className="p-6">LoginPage</main>;
}
