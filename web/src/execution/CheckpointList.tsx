// The checkpoints an execution wrote (after build/test/scan/deploy nodes),
// each with "Rerun from here": a new execution that restores it and runs the
// rest of the pipeline.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { currentSession } from '../auth/session';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { errorText } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { executionActions } from './actions';
import { executionKeys, fetchCheckpoints, rerunFromCheckpoint, type ExecutionDetail } from './api';
import { QuerySection } from './QuerySection';

export function CheckpointList({ execution }: { execution: ExecutionDetail }) {
  const navigate = useNavigate();
  const q = useQuery({ queryKey: executionKeys.checkpoints(execution.id), queryFn: () => fetchCheckpoints(execution.id) });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const action = executionActions(execution.status, currentSession()?.user.role, 0).rerunCheckpoint;
  return (
    <QuerySection title="Checkpoints" query={q} loadingRows={2} what="checkpoints">
      {(items) => (
        <>
          {error && (
            <p role="alert" className="mb-2 text-sm text-bad">
              {error}
            </p>
          )}
          {items.length === 0 ? (
            <EmptyState title="No checkpoints yet">A checkpoint is written after each build, test, scan and deploy node succeeds.</EmptyState>
          ) : (
            <ul className="flex flex-col divide-y divide-border" data-testid="checkpoints">
              {items.map((c) => (
                <li key={c.id} className="flex items-center gap-3 py-1.5 text-sm">
                  <span className="font-mono">{c.node_id}</span>
                  <span className="truncate text-muted">{c.name && c.name !== c.node_id ? c.name : ''}</span>
                  <RelativeTime iso={c.created_at} className="ml-auto text-xs text-muted" />
                  <Button
                    size="sm"
                    data-testid="checkpoint-rerun"
                    data-checkpoint-id={c.id}
                    disabled={!action.enabled || busy !== null}
                    reason={action.reason ?? (busy ? 'Starting the rerun…' : undefined)}
                    onClick={async () => {
                      setBusy(c.id);
                      setError(null);
                      try {
                        const next = await rerunFromCheckpoint(execution.id, c.id);
                        navigate(`/executions/${next.id}`);
                      } catch (err) {
                        setError(errorText(err));
                      } finally {
                        setBusy(null);
                      }
                    }}
                  >
                    Rerun from here
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </QuerySection>
  );
}
