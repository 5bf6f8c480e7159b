// The selected node's side panel (state in the URL: ?node=build&tab=logs):
// details — status, attempts, exit code, error, times, why it waits — or its
// log, with a link to the full log page. Esc closes it.
import { useEffect, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import type { NodeStateStore } from '../dag/nodeStore';
import { nodeDurationMs } from '../dag/nodeText';
import { whyWaiting } from '../governance/whyWaiting';
import { LogViewer } from '../logs/LogViewer';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { formatDuration } from '../ui/format';
import { useNow } from '../ui/useNow';

export type PanelTab = 'details' | 'logs';

export interface NodePanelProps {
  executionId: string;
  nodeId: string;
  tab: PanelTab;
  store: NodeStateStore;
  onTab: (tab: PanelTab) => void;
  onClose: () => void;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1 text-sm">
      <dt className="text-muted">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function NodePanel({ executionId, nodeId, tab, store, onTab, onClose }: NodePanelProps) {
  const states = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const s = states.get(nodeId);
  const now = useNow(s?.status === 'running' ? 1000 : 60_000);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLInputElement)) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const logHref = `/executions/${encodeURIComponent(executionId)}/nodes/${encodeURIComponent(nodeId)}/logs`;
  const why = s
    ? whyWaiting({ node_id: s.nodeId, status: s.status, attempt: s.attempt, max_attempts: s.maxAttempts, next_attempt_at: s.nextAttemptAt }, { now })
    : null;
  return (
    <aside aria-label={`Node ${nodeId}`} data-testid="node-panel" className="flex min-h-0 flex-col border-l border-border bg-surface">
      <div className="flex items-center gap-2 border-b border-border px-4 py-2">
        <h2 className="truncate font-mono text-sm font-semibold">{s?.name ?? nodeId}</h2>
        {s && <StatusBadge status={s.status} />}
        <button type="button" onClick={onClose} aria-label="Close the node panel" className="ml-auto rounded px-2 text-muted hover:bg-surface-2">
          ✕
        </button>
      </div>
      <div role="tablist" aria-label="Node views" className="flex gap-1 border-b border-border px-3">
        {(['details', 'logs'] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            data-testid={`node-tab-${t}`}
            onClick={() => onTab(t)}
            className={`px-3 py-1.5 text-sm ${tab === t ? 'border-b-2 border-accent font-medium' : 'text-muted'}`}
          >
            {t === 'details' ? 'Details' : 'Log'}
          </button>
        ))}
        <Link to={logHref} data-testid="view-log" className="ml-auto self-center text-sm text-accent underline">
          View log
        </Link>
      </div>
      {tab === 'logs' ? (
        <div className="min-h-0 flex-1">
          <LogViewer executionId={executionId} nodeId={nodeId} />
        </div>
      ) : !s ? (
        <p className="p-4 text-sm text-muted">This execution has no node “{nodeId}”.</p>
      ) : (
        <dl className="overflow-auto px-4 py-2">
          {why && <p className="mb-2 rounded border border-wait/40 bg-wait/10 p-2 text-sm">{why}</p>}
          {s.error && (
            <Row label="Error">
              <span className="font-mono text-bad whitespace-pre-wrap">{s.error}</span>
            </Row>
          )}
          <Row label="Exit code">
            <span className="font-mono">{s.exitCode ?? '—'}</span>
          </Row>
          <Row label="Attempts">
            {Math.max(s.attempt, s.status === 'pending' ? 0 : 1)} of {s.maxAttempts}
          </Row>
          <Row label="Type">{s.type || '—'}</Row>
          <Row label="Started">
            <RelativeTime iso={s.startedAt} />
          </Row>
          <Row label="Finished">
            <RelativeTime iso={s.completedAt} />
          </Row>
          <Row label="Duration">
            <span className="tabular-nums">{formatDuration(nodeDurationMs(s, now))}</span>
          </Row>
        </dl>
      )}
    </aside>
  );
}
