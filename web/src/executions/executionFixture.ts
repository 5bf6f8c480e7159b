// An execution for tests: sensible defaults, the test names what matters.
import type { Execution } from '../api/types';

export function executionFixture(over: Partial<Execution> = {}): Execution {
  const now = new Date().toISOString();
  return {
    id: 'e1',
    name: 'deploy-api',
    project_id: 'p1',
    status: 'running',
    environment: 'Staging',
    branch: 'main',
    commit_hash: '1011ca6f00d',
    progress: 10,
    governance_status: 'allowed',
    blocked_reason: null,
    started_by: null,
    trigger_type: 'push',
    parent_execution_id: null,
    rerun_checkpoint_id: null,
    cancel_reason: null,
    metadata: {},
    started_at: now,
    completed_at: null,
    created_at: now,
    updated_at: now,
    ...over,
  };
}
