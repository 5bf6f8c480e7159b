// Who, what, where and how long: the execution's identity at a glance.
import type { ReactNode } from 'react';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { durationBetween, formatDuration, shortSha } from '../ui/format';
import { useNow } from '../ui/useNow';
import type { ExecutionDetail } from './api';

const TRIGGERS: Record<string, string> = {
  api: 'Started by hand',
  manual: 'Started by hand',
  webhook: 'Push',
  push: 'Push',
  poll: 'Repository poll',
  rerun: 'Rerun',
  rollback: 'Rollback',
  promotion: 'Promotion',
  seed: 'Seed',
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

function LiveDuration({ e }: { e: ExecutionDetail }) {
  const running = !e.completed_at && Boolean(e.started_at);
  const now = useNow(running ? 1000 : 3_600_000);
  return <span className="tabular-nums">{formatDuration(durationBetween(e.started_at, e.completed_at, now))}</span>;
}

export function ExecutionHeader({ e, actions }: { e: ExecutionDetail; actions: ReactNode }) {
  return (
    <header className="flex flex-col gap-3 border-b border-border bg-surface px-6 py-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold" data-testid="execution-name">
          {e.name || 'Execution'}
        </h1>
        <StatusBadge status={e.status} />
        <span className="font-mono text-xs text-muted" title={e.id}>
          {e.id.slice(0, 8)}
        </span>
        <div className="ml-auto flex flex-wrap gap-2">{actions}</div>
      </div>
      <dl className="flex flex-wrap gap-x-8 gap-y-2">
        <Fact label="Environment">{e.environment || '—'}</Fact>
        <Fact label="Branch">
          <span className="font-mono">{e.branch || '—'}</span>
        </Fact>
        <Fact label="Commit">
          <span className="font-mono" title={e.commit_hash ?? undefined}>
            {shortSha(e.commit_hash)}
          </span>
        </Fact>
        <Fact label="Trigger">{TRIGGERS[e.trigger_type ?? ''] ?? (e.trigger_type || '—')}</Fact>
        <Fact label="By">
          <span className="font-mono" title={e.started_by ?? undefined}>
            {e.started_by ? e.started_by.slice(0, 8) : 'system'}
          </span>
        </Fact>
        <Fact label="Started">
          <RelativeTime iso={e.started_at ?? e.created_at} />
        </Fact>
        <Fact label="Duration">
          <LiveDuration e={e} />
        </Fact>
        {e.parent_execution_id && (
          <Fact label="Rerun of">
            <a className="font-mono text-accent underline" href={`/executions/${e.parent_execution_id}`}>
              {e.parent_execution_id.slice(0, 8)}
            </a>
          </Fact>
        )}
      </dl>
      {e.cancel_reason && <p className="text-sm text-muted">Cancelled: {e.cancel_reason}</p>}
    </header>
  );
}
