// The lock's state and its toggle. Locked: why, by whom, since when.
// Locking asks for a reason; unlocking is one click, except for an
// admin-only environment (Production), where it confirms first (UI.md).
// A role that may not do it sees the toggle disabled with the reason.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { envKeys, lockEnvironment, unlockEnvironment } from './api';
import { lockRefusal } from './permissions';
import { ReasonDialog } from './ReasonDialog';
import type { Environment } from './types';

export function LockState({ env, userName }: { env: Environment; userName: (id: string | null) => string }) {
  if (!env.is_locked) {
    return (
      <p data-testid="lock-state" data-locked="false" className="text-sm text-muted">
        Unlocked
        {env.unlocked_at && (
          <span className="text-muted">
            {' '}
            by {userName(env.unlocked_by)} <RelativeTime iso={env.unlocked_at} />
          </span>
        )}
      </p>
    );
  }
  return (
    <p data-testid="lock-state" data-locked="true" className="text-sm">
      <span className="rounded border border-wait/40 bg-wait/10 px-1.5 py-0.5 text-xs font-medium text-wait">
        Locked
      </span>
      {env.locked_by && <span className="text-muted"> by {userName(env.locked_by)}</span>}
      {env.locked_at && (
        <span className="text-muted">
          {' '}
          <RelativeTime iso={env.locked_at} />
        </span>
      )}
      : <span data-testid="lock-state-reason">{env.lock_reason ?? 'no reason given'}</span>
    </p>
  );
}

export function LockToggle({ env, role }: { env: Environment; role: string }) {
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const refusal = lockRefusal(env, role);
  const refresh = () => client.invalidateQueries({ queryKey: envKeys.list(env.project_id) });
  const unlock = useMutation({ mutationFn: () => unlockEnvironment(env.project_id, env.name), onSuccess: refresh });
  const confirmUnlock = env.is_locked && env.required_role === 'admin';

  const click = () => {
    if (!env.is_locked || confirmUnlock) setAsking(true);
    else unlock.mutate();
  };
  return (
    <>
      <Button
        size="sm"
        data-testid="lock-toggle"
        data-locked={env.is_locked ? 'true' : 'false'}
        disabled={refusal !== null || unlock.isPending}
        reason={refusal ?? (unlock.isPending ? 'Unlocking…' : undefined)}
        onClick={click}
        aria-label={`${env.is_locked ? 'Unlock' : 'Lock'} ${env.name}`}
      >
        {env.is_locked ? 'Unlock' : 'Lock'}
      </Button>
      {unlock.isError && (
        <span role="alert" className="text-xs text-bad">
          {unlock.error.message}
        </span>
      )}
      {asking && (
        <ReasonDialog
          title={env.is_locked ? `Unlock ${env.name}?` : `Lock ${env.name}`}
          consequence={
            env.is_locked
              ? `Deployments to ${env.name} will be admitted again (approvals and other rules still apply).`
              : `No deployment to ${env.name} starts while it is locked; runs asked for it are refused with your reason.`
          }
          confirmLabel={env.is_locked ? 'Unlock' : 'Lock'}
          askReason={!env.is_locked}
          reasonTestId="lock-reason"
          confirmTestId="lock-confirm"
          danger={env.is_locked}
          onConfirm={(reason) => (env.is_locked ? unlockEnvironment(env.project_id, env.name) : lockEnvironment(env.project_id, env.name, reason)).then(refresh)}
          onClose={() => setAsking(false)}
        />
      )}
    </>
  );
}
