// A pending approval request for tests, with any field overridden.
import type { ApprovalItem } from './types';

export function approvalFixture(over: Partial<ApprovalItem> = {}): ApprovalItem {
  return {
    id: 'a1',
    execution_id: 'e0000000-1111-2222-3333-444444444444',
    project_id: 'p1',
    node_id: null,
    environment: 'Production',
    status: 'pending',
    required_approvals: 2,
    approvals: 0,
    votes: [],
    requested_by: 'u-starter',
    commit_sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    prevent_self_approval: true,
    title: null,
    expires_at: null,
    decided_at: null,
    decided_by: null,
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    ...over,
  };
}
