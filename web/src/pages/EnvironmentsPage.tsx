// Environments (/environments): a card per environment with locks, rules, freezes, history, rollback and promotion (issue 11).
// Placeholder until its page lands.
export function EnvironmentsPage() {
  return <h1 className="text-xl font-semibold">Environments</h1>;
}
