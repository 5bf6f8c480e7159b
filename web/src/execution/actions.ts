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
  forceFail: ActionState & { visible: boolean };
}

const FINISHED = new Set(['success', 'warning', 'failed', 'cancelled']);
const ACTIVE = new Set(['idle', 'running', 'paused']);

export function canOperate(role: string | null | undefined): boolean {
  return role === 'admin' || role === 'operator';
}

export function executionActions(status: string, role: string | null | undefined, failedNodes: number): ExecutionActions {
  const roleReason = canOperate(role)
    ? undefined
    : `Your role (${role || 'none'}) can only read executions: an operator or admin can do this`;
  const gate = (ok: boolean, why: string): ActionState =>
    roleReason ? { enabled: false, reason: roleReason } : ok ? { enabled: true } : { enabled: false, reason: why };
  const finished = FINISHED.has(status);
  return {
    cancel: gate(ACTIVE.has(status), 'The execution has already finished'),
    rerunFailed: gate(
      finished && (status === 'failed' || status === 'cancelled' || failedNodes > 0),
      finished ? 'Nothing failed: there is nothing to rerun' : 'A rerun is possible once the execution has finished',
    ),
    rerunCheckpoint: gate(finished, 'A rerun is possible once the execution has finished'),
    forceFail: { ...gate(status === 'running', 'Only a running execution can be force-failed'), visible: status === 'running' },
  };
}
