// One secret: name, where it applies, who changed it and when; never a
// value. Delete asks first.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { ConfirmAction } from './ConfirmAction';
import { deleteSecret, secretScopeWords, secretsKey, type SecretItem } from './secrets';

export function SecretRow({ projectId, secret: s, refusal, userName }: { projectId: string; secret: SecretItem; refusal: string | null; userName: (id: string | null) => string }) {
  const client = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  return (
    <tr data-testid="secret-row" data-secret-name={s.name} data-environment={s.environment ?? ''} className="border-b border-border last:border-b-0">
      <td className="py-2 pr-3 pl-3 font-mono text-sm">{s.name}</td>
      <td className="py-2 pr-3 text-sm">{secretScopeWords(s)}</td>
      <td className="py-2 pr-3 text-sm text-muted" aria-label="value hidden">
        <span aria-hidden="true">••••••••</span>
      </td>
      <td className="py-2 pr-3 text-sm text-muted">
        <RelativeTime iso={s.updated_at} /> by {userName(s.updated_by)}
      </td>
      <td className="py-2 pr-3 text-right">
        <Button size="sm" variant="danger" data-testid="secret-delete" aria-label={`Delete ${s.name}`} disabled={Boolean(refusal)} reason={refusal ?? undefined} onClick={() => setDeleting(true)}>
          Delete
        </Button>
        {deleting && (
          <ConfirmAction
            title={`Delete ${s.name}?`}
            consequence={
              <>
                Steps {s.scope === 'global' ? 'of every project' : s.environment ? `deploying to ${s.environment}` : 'of this project'} no longer receive{' '}
                <code className="font-mono">{s.name}</code>; a run that needs it fails. The value cannot be recovered.
              </>
            }
            confirmLabel="Delete secret"
            onCancel={() => setDeleting(false)}
            onConfirm={async () => {
              await deleteSecret(projectId, s.name, s.environment);
              setDeleting(false);
              await client.invalidateQueries({ queryKey: secretsKey(projectId) });
            }}
          />
        )}
      </td>
    </tr>
  );
}
