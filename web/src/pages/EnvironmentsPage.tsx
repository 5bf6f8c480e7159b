// Environments (/environments, /projects/:projectId/environments): a card
// per environment of the project (the URL's, else the top bar's; without
// either, a project picker) with its lock, version and health, hold, rules,
// freeze windows, queue and history with rollback and promotion; the
// emergency stop for admins. Live: environments (locks, windows, the stop),
// deployments (history, holds) and executions (the queues).
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { envKeys, deployKeys, fetchEnvironments, fetchLifecycle } from '../environments/api';
import { EmergencyStopButton } from '../environments/EmergencyStopControls';
import { EnvironmentCard } from '../environments/EnvironmentCard';
import { ProjectPicker } from '../environments/ProjectPicker';
import { useUserName } from '../environments/useUserName';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { useProjectScope } from '../shell/projectScope';
import { emergencyStopQuery, projectsQuery } from '../shell/queries';
import { useSession } from '../shell/useSession';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';

function ProjectEnvironments({ projectId, role }: { projectId: string; role: string }) {
  const envs = useQuery({ queryKey: envKeys.list(projectId), queryFn: () => fetchEnvironments(projectId) });
  const lifecycle = useQuery({ queryKey: envKeys.lifecycle(projectId), queryFn: () => fetchLifecycle(projectId) });
  const userName = useUserName();
  useLiveInvalidation(['environments'], [envKeys.list(projectId), envKeys.lifecycle(projectId)], { projectId });
  useLiveInvalidation(['deployments'], [deployKeys.all], { projectId });
  useLiveInvalidation(['executions', 'approvals'], [envKeys.queues(projectId)], { projectId, intervalMs: 1000 });

  if (envs.isPending) return <SkeletonRows rows={8} label="Loading environments" />;
  if (envs.isError) return <ErrorState title="The environments could not be loaded" error={envs.error} onRetry={() => void envs.refetch()} />;
  if (envs.data.length === 0) {
    return <EmptyState title="This project has no environment">An admin adds them with POST /api/v1/projects/{'{id}'}/environments.</EmptyState>;
  }
  return (
    <ul aria-label="Environments" className="flex flex-col gap-4">
      {envs.data.map((env) => (
        <EnvironmentCard key={env.id} env={env} envs={envs.data} lifecycle={lifecycle.data} role={role} userName={userName} />
      ))}
    </ul>
  );
}

export function EnvironmentsPage() {
  const { projectId: fromUrl } = useParams();
  const scope = useProjectScope();
  const projectId = fromUrl ?? scope;
  const session = useSession();
  const role = session?.user.role ?? 'viewer';
  const stop = useQuery(emergencyStopQuery);
  const projects = useQuery(projectsQuery);
  const project = projects.data?.items.find((p) => p.id === projectId);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-center gap-3">
        <h1 className="text-xl font-semibold">Environments</h1>
        {project && <span className="text-muted">{project.name}</span>}
        <div className="flex-1" />
        <EmergencyStopButton role={role} stop={stop.data} />
      </div>
      {projectId ? <ProjectEnvironments projectId={projectId} role={role} /> : <ProjectPicker />}
    </div>
  );
}
