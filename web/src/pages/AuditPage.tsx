// The audit log (/audit): filters, chain status, export (issue 11).
// Placeholder until its page lands.
export function AuditPage() {
  return <h1 className="text-xl font-semibold">Audit</h1>;
}
