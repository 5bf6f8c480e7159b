// The recent deliveries GitHub sent to a project, newest first, filterable
// by outcome, refreshed every few seconds (deliveries have no event-stream
// topic), each replayable; a replay's result is said above the list.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../ui/EmptyState';
import { inputClass } from './Field';
import { FormError } from './FormError';
import { DeliveryRow } from './DeliveryRow';
import { ListPanel } from './ListPanel';
import { TableHead } from './TableHead';
import { deliveriesKey, fetchDeliveries, OUTCOMES, outcomeLook, replayDelivery } from './github';
import { LoadMore } from '../ui/LoadMore';

const HEADERS = ['Outcome', 'Event', 'Received', 'Delivery', 'Started', ''];

export function DeliveriesList({ projectId, canReplay }: { projectId: string; canReplay: boolean }) {
  const client = useQueryClient();
  const [outcome, setOutcome] = useState('');
  const pages = useInfiniteQuery({
    queryKey: [...deliveriesKey(projectId), outcome],
    queryFn: ({ pageParam }) => fetchDeliveries(projectId, outcome, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: 5000,
  });
  const replay = useMutation({
    mutationFn: replayDelivery,
    onSuccess: () => void client.invalidateQueries({ queryKey: deliveriesKey(projectId) }),
  });
  const deliveries = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-end justify-between gap-3">
        <h3 className="text-sm font-semibold">Recent deliveries</h3>
        <label className="flex items-center gap-2 text-xs font-medium text-muted">
          Outcome
          <select data-testid="delivery-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)} className={inputClass}>
            <option value="">Any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {outcomeLook(o).word}
              </option>
            ))}
          </select>
        </label>
      </div>
      {replay.isSuccess && (
        <p role="status" data-testid="delivery-replayed" className="text-sm text-ok">
          Replayed: the copy was {outcomeLook(replay.data.outcome).word.toLowerCase()}
          {replay.data.outcome_reason ? ` (${replay.data.outcome_reason})` : ''}.
        </p>
      )}
      {replay.isError && <FormError error={replay.error} />}
      <ListPanel
        state={pages}
        empty={deliveries.length === 0}
        loadingLabel="Loading deliveries"
        errorTitle="Could not load the deliveries"
        emptyState={
          <EmptyState title={outcome ? 'No deliveries with this outcome' : 'No deliveries yet'}>
            {outcome ? 'Choose another outcome.' : 'GitHub sends a ping when the webhook is added, then one delivery per push, pull request, tag or release.'}
          </EmptyState>
        }
      >
        {() => (
          <table className="w-full border-collapse text-left">
            <caption className="sr-only">Webhook deliveries, newest first</caption>
            <TableHead headers={HEADERS} />
            <tbody>
              {deliveries.map((d) => (
                <DeliveryRow key={d.id} delivery={d} canReplay={canReplay} replaying={replay.isPending && replay.variables === d.id} onReplay={() => replay.mutate(d.id)} />
              ))}
            </tbody>
          </table>
        )}
      </ListPanel>
      <LoadMore pages={pages} size="sm" />
    </div>
  );
}
