// The audit trail's JSON shapes (docs/api.md, docs/audit.md).
export interface AuditEntry {
  id: string;
  seq: number | null;
  action: string;
  resource_type: string;
  resource_id: string;
  user_id: string | null;
  details: unknown;
  ip_address: string | null;
  user_agent: string | null;
  created_at: string;
  prev_hash: string | null;
  hash: string | null;
}

// GET /api/v1/audit-logs/verify (admins): the chain walked from row 1.
// `verified_up_to` is the last row whose hash checked out; on a break,
// `broken_at` is the first bad row's seq and `problem` says what is wrong.
export interface ChainVerification {
  ok: boolean;
  rows: number;
  verified_up_to: number | null;
  head_hash: string | null;
  broken_at: number | null;
  problem: string | null;
}
