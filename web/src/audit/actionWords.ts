// An audit action as words ("user.role_changed" → "User role changed"), so
// the list never shows a raw enum; the raw name stays in the row's details
// and in the filter. Pure.
export function actionWords(action: string): string {
  const words = action.replace(/[._]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '—';
}

// Actions the server writes (docs/audit.md and the API docs), offered as
// suggestions in the action filter; any other text works too.
export const KNOWN_ACTIONS = [
  'access.denied',
  'auth.login_failed',
  'user.created',
  'user.role_changed',
  'token.created',
  'token.revoked',
  'project.created',
  'execution.started',
  'execution.cancelled',
  'approval.approved',
  'approval.rejected',
  'environment.created',
  'environment.updated',
  'environment.locked',
  'environment.unlocked',
  'freeze_window.created',
  'freeze_window.deleted',
  'emergency_stop.activated',
  'emergency_stop.lifted',
  'deployment.rollback_requested',
  'deployment.promotion_requested',
  'deployment_hold.released',
  'github_integration.created',
  'github_integration.updated',
  'github_integration.deleted',
  'branch_mappings.replaced',
  'branch_mappings.reset',
  'webhook.replayed',
  'project_webhook.created',
  'project_webhook.deleted',
];
