// The rollbacks this deployment took part in: the one it caused (a later
// rollback replaced it), the one it is (what it restored, what it
// replaced), and an automatic rollback inside it (status rolled_back).
import { Link } from 'react-router';
import { rollbacksAround } from '../environments/history';
import type { HistoryItem } from '../environments/types';
import { versionText } from '../environments/words';
import type { DeploymentDetail } from './types';

export function RelatedRollbacks({ deployment: d, history }: { deployment: DeploymentDetail; history: HistoryItem[] }) {
  const around = rollbacksAround(history, d.id);
  const lines = [];
  if (around.restored) {
    lines.push(
      <li key="restored">
        This is a rollback: it restored <Link to={`/deployments/${around.restored.id}`} className="font-mono underline">{around.restored.version}</Link>
        {around.replaced && (
          <>
            {' '}
            in place of <Link to={`/deployments/${around.replaced.deployment_id}`} className="font-mono underline">{versionText(around.replaced)}</Link>
          </>
        )}
        {d.reason && <span className="text-muted"> — {d.reason}</span>}.
      </li>,
    );
  }
  if (d.status === 'rolled_back') {
    lines.push(
      <li key="auto">
        Its checks failed and it rolled itself back: the stable version kept (or got back) the traffic{d.reason ? ` — ${d.reason}` : ''}.
      </li>,
    );
  }
  if (around.replacedBy) {
    lines.push(
      <li key="replaced-by">
        Rolled back later by <Link to={`/deployments/${around.replacedBy.deployment_id}`} className="underline">a rollback to <span className="font-mono">{versionText(around.replacedBy)}</span></Link>
        {around.replacedBy.reason && <span className="text-muted"> — {around.replacedBy.reason}</span>}.
      </li>,
    );
  }
  if (d.marked_bad) lines.push(<li key="bad" className="text-bad">⚠ A rollback marked this version bad.</li>);
  if (lines.length === 0) return <p className="text-sm text-muted">No rollback caused this deployment or was caused by it.</p>;
  return <ul data-testid="related-rollbacks" className="flex flex-col gap-1 text-sm">{lines}</ul>;
}
