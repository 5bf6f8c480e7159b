// The slowest nodes: p50 and p95 of each node's duration over the window,
// with the p95 trend against the previous window as an arrow and a word.
import { formatDuration } from '../ui/format';
import type { SlowNode } from './api';
import { TREND_TEXT } from './format';

function TrendCell({ node }: { node: SlowNode }) {
  const t = TREND_TEXT[node.trend];
  const before = node.previous_p95_ms === null ? 'no runs in the previous window' : `p95 ${formatDuration(node.previous_p95_ms)} in the previous window`;
  return (
    <span data-testid="insights-trend" data-trend={node.trend} title={before} className={`whitespace-nowrap ${t.tone}`}>
      <span aria-hidden="true">{t.arrow}</span> {t.word}
    </span>
  );
}

const COLUMNS: [string, string][] = [
  ['Node', ''],
  ['Runs', 'text-right'],
  ['p50', 'text-right'],
  ['p95', 'text-right'],
  ['Trend (p95)', 'pl-3'],
];

export function SlowestNodes({ nodes }: { nodes: SlowNode[] }) {
  if (nodes.length === 0) return <p className="text-sm text-muted">No finished node runs in this window.</p>;
  return (
    <table data-testid="insights-slowest" className="w-full text-sm">
      <caption className="sr-only">Slowest nodes by p95 duration</caption>
      <thead>
        <tr className="border-b border-border text-left text-xs text-muted">
          {COLUMNS.map(([label, align]) => (
            <th key={label} scope="col" className={`py-1 font-medium ${align}`}>
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => (
          <tr key={n.node_id} data-testid="insights-slow-node" className="border-b border-border/60 last:border-0">
            <td className="py-1 font-mono">{n.node_id}</td>
            <td className="py-1 text-right tabular-nums">{n.runs}</td>
            <td className="py-1 text-right tabular-nums">{formatDuration(n.p50_ms)}</td>
            <td className="py-1 text-right tabular-nums">{formatDuration(n.p95_ms)}</td>
            <td className="py-1 pl-3">
              <TrendCell node={n} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
