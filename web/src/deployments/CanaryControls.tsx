// Continue or abort a running canary (operators and admins with the
// environment's required role): continue ends a pause, abort sets the
// weight back to 0 with a reason. Shown only while a canary runs.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deployKeys } from '../environments/api';
import { deployRefusal } from '../environments/permissions';
import { ReasonDialog } from '../environments/ReasonDialog';
import { Button } from '../ui/Button';
import { abortCanary, continueCanary } from './api';
import type { Deployment } from './types';

export function CanaryControls({ deployment: d, requiredRole, role }: { deployment: Deployment; requiredRole: string; role: string }) {
  const client = useQueryClient();
  const [aborting, setAborting] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: deployKeys.detail(d.id) });
  const go = useMutation({ mutationFn: () => continueCanary(d.id), onSuccess: refresh });
  if (d.strategy !== 'canary' || d.status !== 'running') return null;
  const refusal = deployRefusal(d.environment, requiredRole, role, 'steer the canary in');
  const paused = d.phase === 'paused';
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant="primary"
        data-testid="canary-continue"
        disabled={refusal !== null || !paused || go.isPending}
        reason={refusal ?? (!paused ? 'The canary is not paused' : go.isPending ? 'Continuing…' : undefined)}
        onClick={() => go.mutate()}
      >
        Continue to the next step
      </Button>
      <Button variant="danger" data-testid="canary-abort" disabled={refusal !== null} reason={refusal ?? undefined} onClick={() => setAborting(true)}>
        Abort the canary
      </Button>
      {go.isError && (
        <span role="alert" className="text-sm text-bad">
          {go.error.message}
        </span>
      )}
      {aborting && (
        <ReasonDialog
          title="Abort the canary?"
          consequence={`The new version's traffic goes back to 0% in ${d.environment}; the stable version keeps serving.`}
          confirmLabel="Abort"
          confirmTestId="canary-abort-confirm"
          onConfirm={(reason) => abortCanary(d.id, reason).then(refresh)}
          onClose={() => setAborting(false)}
        />
      )}
    </div>
  );
}
