// One outgoing webhook's delivery log, newest first: event, state (with the
// attempt count), the last HTTP status or error, when; refreshed every few
// seconds while open.
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { StatusBadge } from '../ui/StatusBadge';
import { TableHead } from './TableHead';
import { deliveryLook, eventWords, fetchWebhookDeliveries, webhooksKey } from './outgoingWebhooks';

export function WebhookDeliveries({ projectId, webhookId }: { projectId: string; webhookId: string }) {
  const q = useQuery({
    queryKey: [...webhooksKey(projectId), webhookId, 'deliveries'],
    queryFn: () => fetchWebhookDeliveries(projectId, webhookId),
    refetchInterval: 5000,
  });
  if (q.isPending) return <SkeletonRows rows={3} label="Loading deliveries" />;
  if (q.isError) return <ErrorState title="Could not load the delivery log" error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.items.length === 0) return <p className="py-2 text-sm text-muted">Nothing sent yet: a delivery is queued when one of its events happens in this project.</p>;
  return (
    <table className="w-full border-collapse text-left">
      <caption className="sr-only">Delivery log, newest first</caption>
      <TableHead headers={['State', 'Event', 'Answer', 'Queued', 'Delivered / next try']} />
      <tbody>
        {q.data.items.map((d) => {
          const look = deliveryLook(d);
          return (
            <tr key={d.id} data-testid="webhook-delivery-row" data-status={d.status} className="border-b border-border text-sm">
              <td className="py-1.5 pr-3 pl-3">
                <StatusBadge status={look.status} label={look.word} />
              </td>
              <td className="py-1.5 pr-3">{eventWords(d.event)}</td>
              <td className="max-w-80 truncate py-1.5 pr-3 font-mono text-xs" title={d.last_error ?? undefined}>
                {d.last_status_code !== null ? `HTTP ${d.last_status_code}` : ''}
                {d.last_error ? `${d.last_status_code !== null ? ' · ' : ''}${d.last_error}` : d.last_status_code === null ? '—' : ''}
              </td>
              <td className="py-1.5 pr-3 whitespace-nowrap">
                <RelativeTime iso={d.created_at} />
              </td>
              <td className="py-1.5 pr-3 whitespace-nowrap">
                <RelativeTime iso={d.delivered_at ?? d.next_attempt_at} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
