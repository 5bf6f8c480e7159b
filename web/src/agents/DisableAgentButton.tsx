// Disabling an agent (admins): a confirmation that spells out what stops
// (its token, its running jobs, no undo). DELETE /api/v1/agents/{id} takes
// no reason, so none is asked for.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { agentsKey, disableAgent } from './api';
import type { Agent } from './types';

export function disableRefusal(agent: Pick<Agent, 'status'>, isAdmin: boolean): string | null {
  if (!isAdmin) return 'Only admins can disable agents';
  if (agent.status === 'disabled') return 'Already disabled';
  return null;
}

function consequence(agent: Agent): string {
  const jobs = agent.running_jobs;
  const running =
    jobs > 0
      ? ` Its ${jobs} running ${jobs === 1 ? 'job is' : 'jobs are'} lost: each node is retried on another agent or failed, per its retry policy.`
      : ' It runs nothing right now.';
  return `${agent.name} stops getting work and its token stops working.${running} This cannot be undone: to use the machine again, register it with a new registration token.`;
}

export function DisableAgentButton({ agent, isAdmin }: { agent: Agent; isAdmin: boolean }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const refusal = disableRefusal(agent, isAdmin);
  return (
    <>
      <Button
        size="sm"
        variant="danger"
        data-testid="agent-disable"
        aria-label={`Disable ${agent.name}`}
        disabled={refusal !== null}
        reason={refusal ?? undefined}
        onClick={() => setConfirming(true)}
      >
        Disable
      </Button>
      {confirming && (
        <ConfirmDialog
          title={`Disable agent ${agent.name}?`}
          consequence={consequence(agent)}
          confirmLabel="Disable agent"
          askReason={false}
          closeOnSuccess
          testId="agent-disable-dialog"
          confirmTestId="agent-disable-confirm"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            await disableAgent(agent.id);
            await client.invalidateQueries({ queryKey: agentsKey });
          }}
        />
      )}
    </>
  );
}
