// Test data: an environment and history rows with every field, overridable.
import type { Environment, FreezeWindow, HistoryItem } from './types';

export function environmentFixture(over: Partial<Environment> = {}): Environment {
  return {
    id: 'env-1',
    project_id: 'p1',
    name: 'Staging',
    position: 1,
    is_locked: false,
    lock_reason: null,
    locked_by: null,
    locked_at: null,
    unlocked_by: null,
    unlocked_at: null,
    lock_role: 'operator',
    required_role: 'operator',
    requires_approval: false,
    required_approvals: 0,
    reviewers: [],
    wait_timer_seconds: 0,
    prevent_self_approval: true,
    restrict_refs: false,
    allowed_branches: [],
    allowed_tags: [],
    auto_deploy: true,
    approval_expiry_seconds: 2_592_000,
    queue_mode: 'oldest_first',
    freeze_windows: [],
    ...over,
  };
}

export function windowFixture(over: Partial<FreezeWindow> = {}): FreezeWindow {
  return {
    id: 'w1',
    scope: 'environment',
    kind: 'absolute',
    start: null,
    end: null,
    weekdays: [],
    start_time: null,
    end_time: null,
    cron: null,
    duration_seconds: null,
    timezone: 'UTC',
    reason: 'holidays',
    active: false,
    active_until: null,
    ...over,
  };
}

export function rowFixture(id: string, version: string, over: Partial<HistoryItem> = {}): HistoryItem {
  return {
    deployment_id: id,
    version_tag: version,
    commit_sha: null,
    image_tag: null,
    is_current: false,
    marked_bad: false,
    status: 'success',
    strategy: 'rolling',
    deployed_by: 'u1',
    started_at: '2026-12-05T10:00:00Z',
    completed_at: '2026-12-05T10:01:00Z',
    rollback_of: null,
    reason: null,
    execution_id: 'e-' + id,
    created_at: '2026-12-05T10:00:00Z',
    ...over,
  };
}
