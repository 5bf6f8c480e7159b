// Promote the environment's current version to the next one (the next
// lifecycle phase, else the next environment), with the lifecycle rule in
// words and, when it holds the promotion now, why. The server's refusal
// (the lifecycle's 409, a lock, a role) is shown verbatim in the dialog.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { DeploymentAction } from '../deployments/types';
import { Button } from '../ui/Button';
import { useNow } from '../ui/useNow';
import { deployKeys, envKeys, promote } from './api';
import { deployRefusal } from './permissions';
import { promotionPlan } from './promotion';
import { ReasonDialog } from './ReasonDialog';
import type { Environment, HistoryItem, Lifecycle } from './types';
import { versionText } from './words';

export interface PromoteControlProps {
  env: Environment;
  envs: Environment[];
  lifecycle: Lifecycle | undefined;
  current: HistoryItem | null;
  role: string;
}

export function PromoteControl({ env, envs, lifecycle, current, role }: PromoteControlProps) {
  const client = useQueryClient();
  const now = useNow(30_000);
  const [open, setOpen] = useState(false);
  const [started, setStarted] = useState<DeploymentAction | null>(null);
  const plan = promotionPlan(envs, lifecycle, env.name, current, now);
  if (!plan.target) return plan.rule ? <p className="text-xs text-muted">{plan.rule}.</p> : null;
  const target = envs.find((e) => e.name === plan.target);
  const refusal =
    (current ? null : `Nothing has succeeded in ${env.name} yet`) ??
    deployRefusal(plan.target, target?.required_role ?? 'operator', role, 'deploy to');
  const confirm = async () => {
    const r = await promote(current!.deployment_id, plan.target!);
    setStarted(r);
    await Promise.all([
      client.invalidateQueries({ queryKey: deployKeys.all }),
      client.invalidateQueries({ queryKey: envKeys.all }),
    ]);
  };
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <Button
          size="sm"
          data-testid="promote-button"
          data-target={plan.target}
          disabled={refusal !== null}
          reason={refusal ?? undefined}
          onClick={() => setOpen(true)}
        >
          Promote to {plan.target} →
        </Button>
        {started && (
          <Link to={`/deployments/${started.id}`} className="text-xs underline">
            Promotion started ({started.governance_status === 'allowed' ? 'running' : (started.governance_status ?? 'held').replace(/_/g, ' ')})
          </Link>
        )}
      </div>
      {plan.rule && <p className="text-xs text-muted">{plan.rule}.</p>}
      {plan.blocked && <p className="text-xs text-wait">{plan.blocked}.</p>}
      {open && current && (
        <ReasonDialog
          title={`Promote ${versionText(current)} to ${plan.target}?`}
          consequence={
            <p>
              {plan.target} will run <span className="font-mono">{versionText(current)}</span>, the version running in {env.name}, under{' '}
              {plan.target}'s rules (approvals, wait timer, freezes).
            </p>
          }
          confirmLabel={`Promote to ${plan.target}`}
          askReason={false}
          danger={target?.required_role === 'admin'}
          confirmTestId="promote-confirm"
          onConfirm={confirm}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}
