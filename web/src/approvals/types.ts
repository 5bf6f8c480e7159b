// Approval requests as the inbox reads them (GET /api/v1/approvals, docs/api.md
// "Approvals and notifications") and the changes they would deploy
// (GET /api/v1/approvals/{id}/changes). Fields marked optional may be missing
// from an older server: absent means unknown, never "no".
export interface ApprovalVoteItem {
  id?: string;
  user_id: string;
  vote: boolean;
  comment?: string | null;
  commit_sha?: string | null;
  created_at?: string;
  email?: string | null;
  full_name?: string | null;
}

export interface ApprovalItem {
  id: string;
  execution_id: string;
  project_id: string | null;
  node_id: string | null;
  environment: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded' | string;
  required_approvals: number;
  approvals: number;
  votes: ApprovalVoteItem[];
  requested_by: string;
  commit_sha: string;
  prevent_self_approval?: boolean;
  reviewers?: { kind: 'user' | 'role' | string; id: string; email?: string | null; full_name?: string | null }[];
  title?: string | null;
  expires_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  created_at: string;
  can_vote?: boolean;
  cannot_vote_reason?: string | null;
  requested_by_name?: string | null; // not in the contract yet: used when a server sends it
}

export interface ApprovalCommit {
  sha: string;
  subject: string;
  author: string;
  date: string;
}

export interface ApprovalChanges {
  environment: string;
  project_id: string | null;
  target: { commit_sha: string; version: string | null };
  current: { deployment_id: string; version: string | null; commit_sha: string | null; deployed_at: string | null } | null;
  commits: ApprovalCommit[];
  commits_truncated: boolean;
  commits_error: string | null;
}
