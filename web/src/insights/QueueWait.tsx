// Queue wait: how long executions waited to start (created → started) and how
// long ready nodes waited for a free process slot, as p50 / p95.
import { formatDuration } from '../ui/format';
import type { Insights } from './api';

function Figure({ testId, label, p50, p95, note }: { testId: string; label: string; p50: number | null; p95: number | null; note: string }) {
  return (
    <div data-testid={testId} className="flex flex-col gap-1 rounded border border-border bg-surface-2/40 p-3">
      <h4 className="text-xs font-medium text-muted">{label}</h4>
      <p className="tabular-nums">
        <span className="text-lg font-semibold">{formatDuration(p50)}</span> <span className="text-xs text-muted">p50</span>
        <span className="mx-2 text-muted">·</span>
        <span className="text-lg font-semibold">{formatDuration(p95)}</span> <span className="text-xs text-muted">p95</span>
      </p>
      <p className="text-xs text-muted">{note}</p>
    </div>
  );
}

export function QueueWait({ wait }: { wait: Insights['queue_wait'] }) {
  return (
    <div className="grid grid-cols-2 gap-3">
      <Figure
        testId="insights-queue-executions"
        label="Execution queue wait"
        p50={wait.p50_ms}
        p95={wait.p95_ms}
        note={`Created → started, ${wait.executions} execution${wait.executions === 1 ? '' : 's'}`}
      />
      <Figure
        testId="insights-queue-nodes"
        label="Node queue wait"
        p50={wait.nodes.p50_ms}
        p95={wait.nodes.p95_ms}
        note={`Ready → running, ${wait.nodes.runs} node run${wait.nodes.runs === 1 ? '' : 's'}`}
      />
    </div>
  );
}
