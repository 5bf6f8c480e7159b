// /executions/:id — the execution's header and actions, its DAG live (with a
// count summary and a failing/blocked filter), the selected node's panel
// (?node=…&tab=…), the governance decision in words and the checkpoints.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { DagView } from '../dag/DagView';
import { preloadLayoutEngine } from '../dag/elkLayout';
import { edgesOf, isFailingOrBlocked, shapeKey } from '../dag/model';
import { summaryText } from '../dag/summary';
import { CheckpointList } from '../execution/CheckpointList';
import { ExecutionActionBar } from '../execution/ExecutionActionBar';
import { ExecutionHeader } from '../execution/ExecutionHeader';
import { GovernancePanel } from '../execution/GovernancePanel';
import { NodePanel, type PanelTab } from '../execution/NodePanel';
import { useLiveExecution } from '../execution/useLiveExecution';
import { ErrorState } from '../ui/ErrorState';
import { Skeleton } from '../ui/Skeleton';
import type { NodeStateStore } from '../dag/nodeStore';

function DagSummary({ store }: { store: NodeStateStore }) {
  const states = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const text = useMemo(() => summaryText(Array.from(states.values(), (s) => s.status)), [states]);
  return (
    <p data-testid="dag-summary" aria-live="polite" className="text-sm">
      {text}
    </p>
  );
}

// Said when the filter leaves nothing to show.
function FilterEmptyNote({ store }: { store: NodeStateStore }) {
  const states = useSyncExternalStore(store.subscribe, store.getSnapshot);
  if (Array.from(states.values()).some((s) => isFailingOrBlocked(s.status))) return null;
  return <p className="px-6 pt-2 text-sm text-muted">No node is failing or blocked: the filter hides every node.</p>;
}

export function ExecutionDetailPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { query, store } = useLiveExecution(id);
  const selected = params.get('node');
  const tab: PanelTab = params.get('tab') === 'logs' ? 'logs' : 'details';
  // The URL holds the filter; the checkbox answers at once (the URL update is a transition).
  const filterInUrl = params.get('filter') === 'failing';
  const [failingOnly, setFailingOnly] = useState(filterInUrl);
  useEffect(() => setFailingOnly(filterInUrl), [filterInUrl]);
  const detail = query.data;
  useEffect(preloadLayoutEngine, []);
  // The edges keep their identity across refetches while the shape is the same.
  const fresh = useMemo(() => (detail ? edgesOf(detail) : []), [detail]);
  const freshKey = shapeKey([], fresh);
  const edges = useMemo(() => fresh, [freshKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const update = useCallback(
    (change: Record<string, string | null>) =>
      setParams(
        (cur) => {
          const next = new URLSearchParams(cur);
          for (const [k, v] of Object.entries(change)) {
            if (v === null) next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: false },
      ),
    [setParams],
  );
  const onSelect = useCallback((nodeId: string) => update({ node: nodeId, tab: params.get('tab') ?? 'details' }), [update, params]);

  if (query.isError) {
    return (
      <main className="p-6">
        <ErrorState title="This execution could not be loaded" error={query.error} onRetry={() => void query.refetch()} />
      </main>
    );
  }
  if (!detail) {
    return (
      <main className="flex flex-col gap-4 p-6" aria-busy="true">
        <Skeleton className="h-8 w-1/3" />
        <Skeleton className="h-5 w-2/3" />
        <Skeleton className="h-96 w-full" />
      </main>
    );
  }

  return (
    <main className="flex min-h-full flex-col">
      <ExecutionHeader e={detail} actions={<ExecutionActionBar e={detail} store={store} />} />
      <div className="flex flex-wrap items-center gap-4 px-6 pt-3">
        <DagSummary store={store} />
        <label className="ml-auto flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            data-testid="dag-filter-failing"
            checked={failingOnly}
            onChange={(e) => {
              setFailingOnly(e.target.checked);
              update({ filter: e.target.checked ? 'failing' : null });
            }}
          />
          Failing/blocked only
        </label>
      </div>
      <div className={`mx-6 mt-2 grid min-h-0 gap-0 overflow-hidden rounded border border-border ${selected ? 'grid-cols-[1fr_480px]' : 'grid-cols-1'}`}>
        <div data-testid="dag" className="h-[440px] min-w-0 bg-surface">
          {detail.nodes.length === 0 ? (
            <p className="p-4 text-sm text-muted">This execution has no nodes yet: its pipeline is resolved after the checkout.</p>
          ) : (
            <DagView store={store} edges={edges} failingOnly={failingOnly} selectedId={selected} onSelect={onSelect} />
          )}
        </div>
        {selected && (
          <div className="flex h-[440px] min-h-0 flex-col">
            <NodePanel
              executionId={id}
              nodeId={selected}
              tab={tab}
              store={store}
              onTab={(t) => update({ tab: t })}
              onClose={() => update({ node: null, tab: null })}
            />
          </div>
        )}
      </div>
      {failingOnly && <FilterEmptyNote store={store} />}
      <div className="grid grid-cols-1 gap-4 p-6 lg:grid-cols-2">
        <GovernancePanel execution={detail} />
        <CheckpointList execution={detail} />
      </div>
    </main>
  );
}
