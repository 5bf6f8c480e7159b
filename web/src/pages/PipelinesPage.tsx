// Pipelines (/pipelines): saved flow templates and the template library (issue 11).
// Placeholder until its page lands.
export function PipelinesPage() {
  return <h1 className="text-xl font-semibold">Pipelines</h1>;
}
