// One webhook delivery GitHub sent: event, outcome with its reason, when,
// the GUID, the execution it started, and Replay (admins; runs it again with
// today's mappings).
import { Link } from 'react-router';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { eventText, outcomeLook, type WebhookDelivery } from './github';

export function DeliveryRow({
  delivery: d,
  canReplay,
  replaying,
  onReplay,
}: {
  delivery: WebhookDelivery;
  canReplay: boolean;
  replaying: boolean;
  onReplay: () => void;
}) {
  const look = outcomeLook(d.outcome);
  return (
    <tr data-testid="delivery-row" data-delivery-id={d.id} data-outcome={d.outcome} data-event={d.event} className="border-b border-border">
      <td className="py-2 pr-3 pl-3 align-top">
        <StatusBadge status={look.status} label={look.word} />
      </td>
      <td className="py-2 pr-3 align-top">
        <p className="font-mono text-sm">{eventText(d)}</p>
        {d.outcome_reason && <p className="max-w-md text-xs text-muted">{d.outcome_reason}</p>}
        {d.replay_of && <p className="text-xs text-muted">Replay of an earlier delivery</p>}
      </td>
      <td className="py-2 pr-3 align-top text-sm whitespace-nowrap">
        <RelativeTime iso={d.received_at} />
      </td>
      <td className="max-w-48 truncate py-2 pr-3 align-top font-mono text-xs" title={d.delivery_guid}>
        {d.delivery_guid}
      </td>
      <td className="py-2 pr-3 align-top text-sm">
        {d.execution_id ? (
          <Link to={`/executions/${d.execution_id}`} className="text-accent underline">
            Execution
          </Link>
        ) : (
          <span className="text-muted">—</span>
        )}
      </td>
      <td className="py-2 pr-3 text-right align-top">
        <Button
          size="sm"
          data-testid="delivery-replay"
          disabled={!canReplay || replaying}
          reason={!canReplay ? 'Only admins replay deliveries' : replaying ? 'Replaying…' : undefined}
          onClick={onReplay}
          aria-label={`Replay ${eventText(d)} delivery ${d.delivery_guid}`}
        >
          {replaying ? 'Replaying…' : 'Replay'}
        </Button>
      </td>
    </tr>
  );
}
