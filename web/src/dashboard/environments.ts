// Each environment's current version and last deployment, from the newest
// deployments (GET /api/v1/deployments, newest first). The current version
// is the newest one that succeeded (a rollback is itself a new successful
// deployment); the last deployment is the newest of any status. The four
// standard environments are always listed, in lifecycle order, then others.
export interface Deployment {
  id: string;
  execution_id: string;
  project_id: string | null;
  environment: string;
  version: string | null;
  commit_sha: string | null;
  status: string;
  strategy: string | null;
  deployed_by: string | null;
  started_at: string | null;
  completed_at: string | null;
  rollback_of: string | null;
  created_at: string;
}

export interface EnvironmentSummary {
  name: string;
  current: Deployment | null;
  last: Deployment | null;
}

export const STANDARD_ENVIRONMENTS = ['Development', 'Staging', 'PreProd', 'Production'];

export function summarizeEnvironments(deployments: Deployment[]): EnvironmentSummary[] {
  const byName = new Map<string, EnvironmentSummary>();
  for (const name of STANDARD_ENVIRONMENTS) byName.set(name, { name, current: null, last: null });
  for (const d of deployments) {
    let s = byName.get(d.environment);
    if (!s) {
      s = { name: d.environment, current: null, last: null };
      byName.set(d.environment, s);
    }
    s.last ??= d;
    if (!s.current && d.status === 'success') s.current = d;
  }
  return [...byName.values()];
}
