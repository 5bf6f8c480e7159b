// The agent list as GET /api/v1/agents answers it (docs/api.md, Remote
// agents). `running` (the leased jobs with their execution and node) and
// `hostname` are not answered yet: the page shows them when the server does,
// and the running-job count until then.
export type AgentStatus = 'online' | 'lost' | 'disabled';

export interface AgentJob {
  id: string;
  execution_id: string;
  node_id: string;
  attempt?: number;
}

export interface Agent {
  id: string;
  name: string;
  labels: string[];
  concurrency: number;
  status: AgentStatus | string;
  version: string;
  created_at: string;
  last_seen_at: string | null;
  running_jobs: number;
  running?: AgentJob[];
  hostname?: string;
}

export interface RegistrationToken {
  token: string;
  expires_at: string;
}
