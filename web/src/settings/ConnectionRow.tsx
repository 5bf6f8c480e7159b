// One connection: type, name, URL, status and last validation; "Check now"
// (operators, admins) shows the result and its response time; the recent
// checks open beneath; Delete (admins) asks first.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { ConfirmAction } from './ConfirmAction';
import { ConnectionChecks } from './ConnectionChecks';
import { checkConnection, checkLook, checkRefusal, connectionKey, connectionLook, connectionsKey, deleteConnection, manageRefusal, typeLabel, type Connection } from './connections';
import { FormError } from './FormError';

export function ConnectionRow({ connection: c, role }: { connection: Connection; role: string }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const checksId = useId();
  const check = useMutation({
    mutationFn: () => checkConnection(c.id),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: connectionsKey });
      void client.invalidateQueries({ queryKey: connectionKey(c.id) });
    },
  });
  const look = connectionLook(c.status);
  const result = check.data ? checkLook(check.data) : null;
  const url = typeof c.config.url === 'string' ? c.config.url : c.type === 'github' ? 'https://api.github.com' : '';
  const checkReason = checkRefusal(role);
  const deleteReason = manageRefusal(role, 'delete');
  return (
    <li data-testid="connection-row" data-connection-id={c.id} data-connection-name={c.name} className="flex flex-col gap-2 border-b border-border p-3 last:border-b-0">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm font-medium">
            {c.name} <span className="text-xs font-normal text-muted">· {typeLabel(c.type)}</span>
            {c.has_secret && <span className="text-xs font-normal text-muted"> · credential stored</span>}
          </p>
          <p className="truncate font-mono text-xs text-muted" title={url}>
            {url}
          </p>
          <p className="text-xs text-muted">
            {c.last_validated_at ? (
              <>
                Last healthy check <RelativeTime iso={c.last_validated_at} />
              </>
            ) : (
              'Never checked healthy'
            )}
          </p>
        </div>
        <div className="flex shrink-0 flex-wrap items-center justify-end gap-2">
          <span data-testid="connection-status" data-status={result ? (check.data?.status ?? '') : c.status}>
            <StatusBadge status={result?.status ?? look.status} label={result?.word ?? look.word} />
          </span>
          <Button size="sm" data-testid="connection-check" disabled={Boolean(checkReason) || check.isPending} reason={check.isPending ? 'Checking…' : (checkReason ?? undefined)} onClick={() => check.mutate()}>
            {check.isPending ? 'Checking…' : 'Check now'}
          </Button>
          <Button size="sm" aria-expanded={open} aria-controls={open ? checksId : undefined} onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide checks' : 'Recent checks'}
          </Button>
          <Button size="sm" variant="danger" data-testid="connection-delete" disabled={Boolean(deleteReason)} reason={deleteReason ?? undefined} onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </div>
      </div>
      {check.data?.message && (
        <p role="status" className="text-xs text-muted">
          {result?.word}: <span className="font-mono break-all">{check.data.message}</span>
        </p>
      )}
      <FormError error={check.error} />
      {open && (
        <div id={checksId}>
          <ConnectionChecks id={c.id} />
        </div>
      )}
      {deleting && (
        <ConfirmAction
          title={`Delete the connection ${c.name}?`}
          consequence="It is no longer checked, its stored credential is destroyed and its check history goes with it."
          confirmLabel="Delete connection"
          onCancel={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteConnection(c.id);
            setDeleting(false);
            setOpen(false); // its recent checks are gone too: no refetch of a deleted connection
            client.removeQueries({ queryKey: connectionKey(c.id) });
            await client.invalidateQueries({ queryKey: connectionsKey, exact: true });
          }}
        />
      )}
    </li>
  );
}
