// One deployment (/deployments/:id): strategy progress, probes, hooks, related rollbacks (issue 11).
// Placeholder until its page lands.
export function DeploymentDetailPage() {
  return <h1 className="text-xl font-semibold">DeploymentDetail</h1>;
}
