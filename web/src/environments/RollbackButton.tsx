// Roll the environment back to a history row's version in three
// interactions: this button (1) opens the confirmation with the version
// change, the reason is typed (2), Roll back is pressed (3). The current
// version's row, versions that never succeeded and roles that may not
// deploy here get the button disabled with the reason; a refusal by
// governance (409/403/422) is shown verbatim in the dialog.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { deployKeys, envKeys, rollback } from './api';
import { rollbackConsequence, rollbackTargetRefusal } from './history';
import { deployRefusal } from './permissions';
import { ReasonDialog } from './ReasonDialog';
import type { Environment, HistoryItem } from './types';
import { versionText } from './words';

export interface RollbackButtonProps {
  env: Environment;
  row: HistoryItem;
  current: HistoryItem | null;
  role: string;
}

export function RollbackButton({ env, row, current, role }: RollbackButtonProps) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const refusal = rollbackTargetRefusal(row) ?? deployRefusal(env.name, env.required_role, role, 'roll back');
  const confirm = async (reason: string) => {
    await rollback(env.project_id, env.name, row.deployment_id, reason);
    await Promise.all([
      client.invalidateQueries({ queryKey: deployKeys.all }),
      client.invalidateQueries({ queryKey: envKeys.list(env.project_id) }),
    ]);
  };
  return (
    <>
      <Button
        size="sm"
        className="whitespace-nowrap"
        data-testid="rollback-button"
        data-deployment-id={row.deployment_id}
        disabled={refusal !== null}
        reason={refusal ?? undefined}
        onClick={() => setOpen(true)}
        aria-label={`Roll back ${env.name} to ${versionText(row)}`}
      >
        ↩ Roll back
      </Button>
      {open && (
        <ReasonDialog
          title={`Roll back ${env.name} to ${versionText(row)}?`}
          consequence={
            <>
              <p data-testid="rollback-change" className="font-medium">
                {current ? (
                  <>
                    <span className="font-mono">{versionText(current)}</span> → <span className="font-mono">{versionText(row)}</span>
                  </>
                ) : (
                  <span className="font-mono">{versionText(row)}</span>
                )}
              </p>
              <p>{rollbackConsequence(env.name, current, row)}</p>
              <p className="text-muted">
                {current ? `${versionText(current)} will be marked bad and automatic deploys to ${env.name} held until someone releases the hold.` : ''}
              </p>
            </>
          }
          confirmLabel="Roll back"
          reasonTestId="rollback-reason"
          confirmTestId="rollback-confirm"
          reasonPlaceholder="What is wrong with the running version? This goes to the audit trail."
          onConfirm={confirm}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
