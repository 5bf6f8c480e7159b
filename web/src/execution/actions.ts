// Which execution actions the signed-in user may take now, and if not, why
// (the button shows the reason). The server still enforces every rule; this
// only avoids offering what would be refused. Pure.
export interface ActionState {
  enabled: boolean;
  reason?: string;
}

export interface ExecutionActions {
  cancel: ActionState;
  rerunFailed: ActionState;
  rerunCheckpoint: ActionState;
  forceFail: ActionState;
}

const FINISHED = new Set(['success', 'warning', 'failed', 'cancelled']);
// What the server still lets someone cancel or force-fail (a held execution too).
const ACTIVE = new Set(['idle', 'running', 'paused']);
export const ALREADY_FINISHED = 'The execution already finished';

export function canOperate(role: string | null | undefined): boolean {
  return role === 'admin' || role === 'operator';
}

// A reason the execution's state gives comes first: nobody may act then,
// whatever their role.
export function executionActions(status: string, role: string | null | undefined, failedNodes: number): ExecutionActions {
  const roleReason = canOperate(role)
    ? undefined
    : `Your role (${role || 'none'}) can only read executions: an operator or admin can do this`;
  const gate = (ok: boolean, why: string): ActionState =>
    !ok ? { enabled: false, reason: why } : roleReason ? { enabled: false, reason: roleReason } : { enabled: true };
  const finished = FINISHED.has(status);
  const active = ACTIVE.has(status);
  return {
    cancel: gate(active, ALREADY_FINISHED),
    rerunFailed: gate(
      finished && (status === 'failed' || status === 'cancelled' || failedNodes > 0),
      finished ? 'Nothing failed: there is nothing to rerun' : 'A rerun is possible once the execution has finished',
    ),
    rerunCheckpoint: gate(finished, 'A rerun is possible once the execution has finished'),
    forceFail: gate(active, ALREADY_FINISHED),
  };
}
