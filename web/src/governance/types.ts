// Governance shapes the server sends: the admission explanation
// (GET /api/v1/executions/{id}/governance, also kept in an execution's
// metadata.governance) and approval requests (GET /api/v1/approvals).
export type RuleResult = 'pass' | 'block' | 'wait' | 'needs_approval' | 'skipped';

export interface RuleOutcome {
  rule: string; // environment_locked, approval_required, freeze_window, wait_timer, emergency_stop, deploy_queue, deploy_hold, lifecycle, ...
  result: RuleResult | string;
  reason: string;
  unblock_by: string;
  ends_at: string | null;
}

export interface GovernanceExplanation {
  status: 'allowed' | 'pending_approval' | 'waiting' | 'blocked' | string | null;
  blocked_reason?: string | null;
  wait_until?: string | null;
  rules: RuleOutcome[];
  queue?: { verdict: string; waits_for: string; position: number } | null;
  note?: string;
}

export interface ApprovalVote {
  user_id: string;
  vote: boolean;
  comment?: string | null;
}

export interface ApprovalRequest {
  id: string;
  execution_id: string;
  node_id: string | null;
  environment: string;
  status: string;
  required_approvals: number;
  approvals: number;
  votes: ApprovalVote[];
  expires_at: string | null;
}
