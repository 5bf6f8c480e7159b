// The server's JSON shapes the app reads (see docs/api.md). Only fields the
// pages use are listed; the server may send more.
export type ExecutionStatus = 'idle' | 'running' | 'paused' | 'success' | 'warning' | 'failed' | 'cancelled';
export type NodeStatus = 'pending' | 'queued' | 'running' | 'success' | 'failed' | 'skipped' | 'cancelled' | 'waiting';
export type GovernanceStatus = 'allowed' | 'blocked' | 'pending_approval' | 'waiting' | 'approved' | 'rejected' | null;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Execution {
  id: string;
  name: string;
  project_id: string | null;
  status: ExecutionStatus;
  environment: string | null;
  branch: string | null;
  commit_hash: string | null;
  progress: number;
  governance_status: GovernanceStatus;
  blocked_reason: string | null;
  started_by: string | null;
  trigger_type: string | null;
  parent_execution_id: string | null;
  rerun_checkpoint_id: string | null;
  cancel_reason: string | null;
  metadata: Record<string, unknown>;
  started_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExecutionNode {
  id: string;
  execution_id: string;
  node_id: string;
  name: string | null;
  type: string | null;
  status: NodeStatus;
  attempt: number;
  max_attempts: number;
  exit_code: number | null;
  error: string | null;
  started_at: string | null;
  completed_at: string | null;
  duration_ms: number | null;
  next_attempt_at: string | null;
}

export interface Checkpoint {
  id: string;
  execution_id: string;
  node_id: string;
  name?: string;
  created_at: string;
}

export interface LogLine {
  seq: number;
  attempt: number;
  stream: 'stdout' | 'stderr' | 'system';
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  created_at: string;
}

export interface DashboardMetrics {
  active_executions: number;
  success_rate_24h: number | null;
  avg_deployment_seconds: number | null;
  pending_approvals: number;
}

export interface Project {
  id: string;
  name: string;
  description?: string | null;
}
