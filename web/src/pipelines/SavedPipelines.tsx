// The saved flow templates, the chosen project's first: name, project, flow
// type, node count, last change, Edit, Run and Delete (confirmed; executions
// already started from it keep their own pipeline snapshot).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { flowTemplatesKey, type FlowTemplate } from '../builder/api';
import { canManagePipelines } from '../builder/readiness';
import { RunDialog } from '../builder/RunDialog';
import { useProjects } from '../executions/useProjectNames';
import { useProjectScope } from '../shell/projectScope';
import { useSession } from '../shell/useSession';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { deleteFlowTemplate, listFlowTemplates } from './api';
import { flowTypeWord } from './flowTypes';

export function SavedPipelines() {
  const scope = useProjectScope();
  const role = useSession()?.user.role ?? 'viewer';
  const { names } = useProjects();
  const list = useQuery({ queryKey: flowTemplatesKey, queryFn: listFlowTemplates });
  const [running, setRunning] = useState<FlowTemplate | null>(null);
  const [deleting, setDeleting] = useState<FlowTemplate | null>(null);
  const client = useQueryClient();
  const inScope = (t: FlowTemplate) => (scope && t.project_id === scope ? 0 : 1);
  const items = [...(list.data?.items ?? [])].sort((a, b) => inScope(a) - inScope(b) || b.updated_at.localeCompare(a.updated_at));
  const runReason = canManagePipelines(role) ? undefined : 'Viewers cannot start runs: operators and admins can.';
  const deleteReason = canManagePipelines(role) ? undefined : 'Viewers cannot delete pipelines: operators and admins can.';

  return (
    <section aria-labelledby="saved-title" className="flex flex-col gap-3">
      <h2 id="saved-title" className="text-lg font-semibold">
        Saved pipelines
      </h2>
      {list.isPending ? (
        <SkeletonRows rows={3} label="Loading saved pipelines" />
      ) : list.isError ? (
        <ErrorState title="Could not load saved pipelines" error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No saved pipelines yet">Build one on the canvas with New pipeline, or start from a template below.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded border border-border bg-surface">
          <table className="w-full text-sm" data-testid="saved-pipelines">
            <caption className="sr-only">Saved pipelines, the chosen project’s first, newest change first</caption>
            <thead className="text-left text-xs text-muted">
              <tr className="border-b border-border">
                <th scope="col" className="px-3 py-2 font-medium">Name</th>
                <th scope="col" className="px-3 py-2 font-medium">Project</th>
                <th scope="col" className="px-3 py-2 font-medium">Flow type</th>
                <th scope="col" className="px-3 py-2 font-medium">Nodes</th>
                <th scope="col" className="px-3 py-2 font-medium">Changed</th>
                <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.id} data-testid="saved-pipeline" data-template-id={t.id} className="border-b border-border last:border-0">
                  <td className="px-3 py-2">
                    <Link to={`/pipelines/${t.id}/edit`} className="font-medium text-accent hover:underline">
                      {t.name}
                    </Link>
                    {t.description && <div className="text-xs text-muted">{t.description}</div>}
                  </td>
                  <td className="px-3 py-2">{t.project_id ? (names.get(t.project_id) ?? t.project_id.slice(0, 8)) : <span className="text-muted">Any</span>}</td>
                  <td className="px-3 py-2">{flowTypeWord(t.type)}</td>
                  <td className="px-3 py-2 tabular-nums">{Array.isArray(t.nodes) ? t.nodes.length : 0}</td>
                  <td className="px-3 py-2 text-muted">
                    <RelativeTime iso={t.updated_at} />
                  </td>
                  <td className="px-3 py-2 text-right whitespace-nowrap">
                    <Link to={`/pipelines/${t.id}/edit`} className="mr-2 text-sm text-accent hover:underline" aria-label={`Edit ${t.name}`}>
                      Edit
                    </Link>
                    <Button size="sm" disabled={Boolean(runReason)} reason={runReason} onClick={() => setRunning(t)} aria-label={`Run ${t.name}`}>
                      Run…
                    </Button>
                    <Button
                      size="sm"
                      className="ml-2"
                      disabled={Boolean(deleteReason)}
                      reason={deleteReason}
                      onClick={() => setDeleting(t)}
                      aria-label={`Delete ${t.name}`}
                      data-testid="saved-pipeline-delete"
                    >
                      Delete…
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          consequence="The saved pipeline goes away for everyone. Executions already started from it keep their own copy of the pipeline and their history."
          confirmLabel="Delete pipeline"
          askReason={false}
          closeOnSuccess
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteFlowTemplate(deleting.id);
            await client.invalidateQueries({ queryKey: flowTemplatesKey });
          }}
        />
      )}
      {running && <RunDialog templateId={running.id} templateName={running.name} projectId={running.project_id ?? undefined} onClose={() => setRunning(null)} />}
    </section>
  );
}
