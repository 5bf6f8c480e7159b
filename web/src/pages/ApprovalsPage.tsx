// The approvals inbox (/approvals): every pending approval across projects, oldest first (issue 11).
// Placeholder until its page lands.
export function ApprovalsPage() {
  return <h1 className="text-xl font-semibold">Approvals</h1>;
}
