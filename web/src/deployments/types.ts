// One deployment as GET /api/v1/deployments/{id} answers it (docs/api.md
// "Deployments, rollback, promotion, holds, lifecycle"). Only fields the
// pages read.
export interface Probe {
  id?: string;
  kind: 'health' | 'analysis' | string;
  target: string | null;
  ok: boolean;
  latency_ms: number;
  status_code: number | null;
  value: number | null;
  error: string | null;
  created_at: string;
}

export interface Deployment {
  id: string;
  execution_id: string | null;
  node_id: string | null;
  project_id: string;
  environment: string;
  version: string | null;
  commit_sha: string | null;
  image_tag: string | null;
  status: string; // pending running success failed rolled_back cancelled blocked
  strategy: string | null; // rolling blue_green canary
  phase: string | null;
  slot: string | null;
  canary_weight: number;
  deployed_by: string | null;
  started_at: string | null;
  completed_at: string | null;
  rollback_of: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeploymentDetail extends Deployment {
  is_current: boolean;
  marked_bad: boolean;
  probes: Probe[]; // newest first, at most 100
}

// What POST …/rollback and …/promote answer (202): the new deployment.
export interface DeploymentAction extends Deployment {
  execution_status: string;
  governance_status: string | null;
}
