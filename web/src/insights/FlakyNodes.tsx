// Flaky nodes: the flakiness score with the counts it comes from.
import type { FlakyNode } from './api';
import { flakyReason, formatScore } from './format';

export function FlakyNodes({ nodes }: { nodes: FlakyNode[] }) {
  if (nodes.length === 0) return <p className="text-sm text-muted">No node passed after a retry or flipped between pass and fail.</p>;
  return (
    <ul data-testid="insights-flaky" className="flex flex-col gap-1 text-sm">
      {nodes.map((n) => (
        <li key={n.node_id} data-testid="insights-flaky-node" className="flex items-baseline justify-between gap-3">
          <span className="flex flex-col">
            <span className="font-mono">{n.node_id}</span>
            <span className="text-xs text-muted">{flakyReason(n)}</span>
          </span>
          <span className="tabular-nums font-medium text-wait" title="flakiness score">
            {formatScore(n.score)}
          </span>
        </li>
      ))}
    </ul>
  );
}
