// A notification as GET /api/v1/notifications answers it (docs/api.md
// "Approvals and notifications"): the caller's own, newest first.
export interface NotificationItem {
  id: string;
  type: string; // approval_requested, approval_decided, execution_finished, execution_failed, execution_blocked, deployment_complete, or a custom event
  target: string;
  project_id: string | null;
  payload: Record<string, unknown> | null;
  read: boolean;
  read_at: string | null;
  created_at: string;
}
