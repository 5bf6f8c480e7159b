// The server's JSON shapes for environments, their freeze windows, their
// deployment history, holds and the project's lifecycle (docs/api.md
// "Environments, locks, freeze windows, emergency stop" and "Deployments,
// rollback, promotion, holds, lifecycle"). Only fields the page reads.
export interface Reviewer {
  kind: 'user' | 'role' | string;
  id: string;
}

export interface FreezeWindow {
  id: string;
  scope: 'global' | 'project' | 'environment' | string;
  kind: 'absolute' | 'weekly' | 'cron' | string;
  start: string | null; // local time in `timezone`, without offset (absolute)
  end: string | null;
  weekdays: string[];
  start_time: string | null; // HH:MM (weekly)
  end_time: string | null;
  cron: string | null;
  duration_seconds: number | null;
  timezone: string;
  reason: string;
  active: boolean;
  active_until: string | null; // ISO UTC while active
  next_start?: string | null; // ISO UTC: the next (or current) occurrence, when the server sends it
  next_end?: string | null;
}

export interface Environment {
  id: string;
  project_id: string;
  name: string;
  position: number;
  is_locked: boolean;
  lock_reason: string | null;
  locked_by: string | null;
  locked_at: string | null;
  unlocked_by: string | null;
  unlocked_at: string | null;
  lock_role: string | null;
  required_role: string;
  requires_approval: boolean;
  required_approvals: number;
  reviewers: Reviewer[];
  wait_timer_seconds: number;
  prevent_self_approval: boolean;
  restrict_refs: boolean;
  allowed_branches: string[];
  allowed_tags: string[];
  auto_deploy: boolean;
  approval_expiry_seconds: number;
  queue_mode: string;
  freeze_windows: FreezeWindow[];
}

// One row of GET …/environments/{name}/history (newest first).
export interface HistoryItem {
  deployment_id: string;
  version_tag: string | null;
  commit_sha: string | null;
  image_tag: string | null;
  is_current: boolean;
  marked_bad: boolean;
  status: string;
  strategy: string | null;
  deployed_by: string | null;
  started_at: string | null;
  completed_at: string | null;
  rollback_of: string | null;
  reason: string | null;
  execution_id: string | null;
  created_at: string;
}

export interface DeployHold {
  id: string;
  environment: string;
  deployment_id: string | null;
  version_tag: string | null;
  reason: string | null;
  created_by: string | null;
  created_at: string;
  active: boolean;
}

export interface LifecyclePhase {
  position: number;
  environment: string;
  soak_seconds: number;
}

export interface Lifecycle {
  project_id: string;
  phases: LifecyclePhase[];
}
