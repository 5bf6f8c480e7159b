// /executions/:id/nodes/:nodeId/logs — one node's whole log on its own page
// (links to lines: #L120, #L120-L130).
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { executionKeys, fetchExecution } from '../execution/api';
import { LogViewer } from '../logs/LogViewer';
import { StatusBadge } from '../ui/StatusBadge';

export function NodeLogPage() {
  const { id = '', nodeId = '' } = useParams();
  const q = useQuery({ queryKey: executionKeys.detail(id), queryFn: () => fetchExecution(id) });
  const node = q.data?.nodes.find((n) => n.node_id === nodeId);
  return (
    <main className="flex h-full min-h-0 flex-col">
      <header className="flex flex-wrap items-center gap-3 border-b border-border bg-surface px-6 py-3">
        <nav aria-label="Breadcrumb" className="text-sm text-muted">
          <Link to={`/executions/${encodeURIComponent(id)}`} className="text-accent underline">
            {q.data?.name ?? 'Execution'}
          </Link>
          <span aria-hidden="true"> / </span>
          <Link to={`/executions/${encodeURIComponent(id)}?node=${encodeURIComponent(nodeId)}`} className="text-accent underline">
            <span className="font-mono">{nodeId}</span>
          </Link>
          <span aria-hidden="true"> / </span>
          <span>Log</span>
        </nav>
        <h1 className="font-mono text-lg font-semibold">{node?.name || nodeId}</h1>
        {node && <StatusBadge status={node.status} />}
      </header>
      <div className="min-h-0 flex-1">
        <LogViewer executionId={id} nodeId={nodeId} />
      </div>
    </main>
  );
}
