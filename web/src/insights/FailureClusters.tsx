// Failure clusters: failed runs grouped by exit code and log signature (the
// last error line with numbers, addresses, paths… as placeholders), with
// their count, when they were seen and links to example executions.
import { Link } from 'react-router';
import { RelativeTime } from '../ui/RelativeTime';
import type { FailureCluster } from './api';
import { formatExitCode } from './format';

export function FailureClusters({ clusters }: { clusters: FailureCluster[] }) {
  if (clusters.length === 0) return <p className="text-sm text-muted">No node failed in this window.</p>;
  return (
    <ul data-testid="insights-clusters" className="flex flex-col gap-2 text-sm">
      {clusters.map((c) => (
        <li key={`${c.exit_code}:${c.signature}`} data-testid="insights-cluster" className="flex flex-col gap-1 rounded border border-border/60 p-2">
          <div className="flex items-baseline justify-between gap-3">
            <code data-testid="insights-signature" className="break-all font-mono text-xs">
              {c.signature || '(no output)'}
            </code>
            <span className="whitespace-nowrap tabular-nums font-medium text-bad">
              {c.count} failure{c.count === 1 ? '' : 's'}
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
            <span>{formatExitCode(c.exit_code)}</span>
            <span>
              in <span className="font-mono">{c.node_ids.join(', ')}</span>
            </span>
            <span>
              first <RelativeTime iso={c.first_seen} />, last <RelativeTime iso={c.last_seen} />
            </span>
            <span className="flex gap-2">
              {c.example_execution_ids.map((id, i) => (
                <Link key={id} to={`/executions/${id}`} className="text-accent hover:underline" aria-label={`Example execution ${i + 1} of this failure`}>
                  example {i + 1}
                </Link>
              ))}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
