// One outgoing webhook: URL, format, events, enabled; its delivery log opens
// beneath it; Remove asks first.
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { ConfirmAction } from './ConfirmAction';
import { deleteWebhook, eventWords, webhooksKey, type OutgoingWebhook } from './outgoingWebhooks';
import { WebhookDeliveries } from './WebhookDeliveries';

export function WebhookRow({ projectId, webhook: w }: { projectId: string; webhook: OutgoingWebhook }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [removing, setRemoving] = useState(false);
  const logId = useId();
  return (
    <li data-testid="webhook-row" data-webhook-id={w.id} className="flex flex-col gap-2 border-b border-border p-3 last:border-b-0">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="truncate font-mono text-sm" title={w.url}>
            {w.url}
          </p>
          <p className="text-xs text-muted">
            {w.format === 'slack' ? 'Slack message' : 'Opzenix JSON, signed (X-Opzenix-Signature-256)'} ·{' '}
            {w.events.length ? w.events.map(eventWords).join(', ') : 'every event'} · added <RelativeTime iso={w.created_at} />
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <StatusBadge status={w.enabled ? 'success' : 'cancelled'} label={w.enabled ? 'Enabled' : 'Disabled'} />
          <Button size="sm" aria-expanded={open} aria-controls={open ? logId : undefined} data-testid="webhook-log" onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide log' : 'Delivery log'}
          </Button>
          <Button size="sm" variant="danger" data-testid="webhook-remove" onClick={() => setRemoving(true)}>
            Remove
          </Button>
        </div>
      </div>
      {open && (
        <div id={logId}>
          <WebhookDeliveries projectId={projectId} webhookId={w.id} />
        </div>
      )}
      {removing && (
        <ConfirmAction
          title="Remove this webhook?"
          consequence={
            <>
              Nothing more is posted to <code className="font-mono break-all">{w.url}</code>, and its delivery log goes with it.
            </>
          }
          confirmLabel="Remove webhook"
          onCancel={() => setRemoving(false)}
          onConfirm={async () => {
            await deleteWebhook(projectId, w.id);
            setRemoving(false);
            await client.invalidateQueries({ queryKey: webhooksKey(projectId) });
          }}
        />
      )}
    </li>
  );
}
