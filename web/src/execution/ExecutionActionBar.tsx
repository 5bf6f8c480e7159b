// Rerun failed, Cancel and Force fail (each confirmed with a reason; for an
// idle, running or paused execution), each disabled with the reason when the
// execution's state or the user's role does not allow it. A rerun opens the new execution.
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { useNavigate } from 'react-router';
import { currentSession } from '../auth/session';
import type { NodeStateStore } from '../dag/nodeStore';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { errorText } from '../ui/ErrorState';
import { executionActions } from './actions';
import { cancelExecution, executionKeys, forceFailExecution, rerunFailed, type ExecutionDetail } from './api';

export function ExecutionActionBar({ e, store }: { e: ExecutionDetail; store: NodeStateStore }) {
  const states = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const failedNodes = useMemo(() => Array.from(states.values()).filter((s) => s.status === 'failed').length, [states]);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'cancel' | 'fail' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const a = executionActions(e.status, currentSession()?.user.role, failedNodes);
  const refresh = () => qc.invalidateQueries({ queryKey: ['execution', e.id] });

  return (
    <>
      <Button
        data-testid="action-rerun-failed"
        disabled={!a.rerunFailed.enabled}
        reason={a.rerunFailed.reason}
        onClick={async () => {
          setError(null);
          try {
            const next = await rerunFailed(e.id);
            navigate(`/executions/${next.id}`);
          } catch (err) {
            setError(errorText(err));
          }
        }}
      >
        ↻ Rerun failed
      </Button>
      <Button data-testid="action-cancel" variant="danger" disabled={!a.cancel.enabled} reason={a.cancel.reason} onClick={() => setDialog('cancel')}>
        ⊘ Cancel
      </Button>
      <Button data-testid="action-force-fail" variant="danger" disabled={!a.forceFail.enabled} reason={a.forceFail.reason} onClick={() => setDialog('fail')}>
        ✕ Force fail
      </Button>
      {error && (
        <p role="alert" className="basis-full text-right text-sm text-bad">
          {error}
        </p>
      )}
      {dialog === 'cancel' && (
        <ConfirmDialog
          title="Cancel this execution?"
          consequence={
            <>
              Every running step of <strong>{e.name}</strong>
              {e.environment ? ` (${e.environment})` : ''} is stopped and nothing after it runs. It can be rerun later.
            </>
          }
          confirmLabel="Cancel execution"
          onCancel={() => setDialog(null)}
          onConfirm={async (reason) => {
            const after = await cancelExecution(e.id, reason);
            qc.setQueryData<ExecutionDetail>(executionKeys.detail(e.id), (cur) => (cur ? { ...cur, ...after, nodes: cur.nodes } : cur));
            setDialog(null);
            void refresh();
          }}
        />
      )}
      {dialog === 'fail' && (
        <ConfirmDialog
          title="Force-fail this execution?"
          consequence={
            <>
              <strong>{e.name}</strong> is marked failed now and its running steps are stopped. Use this for a run that is stuck; the
              reason is recorded in the audit trail.
            </>
          }
          confirmLabel="Force fail"
          onCancel={() => setDialog(null)}
          onConfirm={async (reason) => {
            await forceFailExecution(e.id, reason);
            setDialog(null);
            void refresh();
          }}
        />
      )}
    </>
  );
}
