// One deployment (/deployments/:id): its strategy's progress (canary
// weights, blue/green slot, rolling phases) with the canary controls, the
// health-probe timeline with latencies, the hook attempts with their
// backoff (from the deploy node's log), and the rollbacks it caused or that
// caused it. Live: deployments events (status, phase, slot, weight) and the
// execution's log lines (each probe and hook attempt is logged).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { CanaryControls } from '../deployments/CanaryControls';
import { DeploymentHeader } from '../deployments/DeploymentHeader';
import { deploymentLogKey, fetchNodeLog } from '../deployments/api';
import { HookAttempts } from '../deployments/HookAttempts';
import { hookAttempts } from '../deployments/hookAttempts';
import { ProbeTimeline } from '../deployments/ProbeTimeline';
import { RelatedRollbacks } from '../deployments/RelatedRollbacks';
import { StrategyProgress } from '../deployments/StrategyProgress';
import { deployKeys, envKeys, fetchDeployment, fetchEnvironments, fetchHistory } from '../environments/api';
import { useUserName } from '../environments/useUserName';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { useSession } from '../shell/useSession';
import { ErrorState } from '../ui/ErrorState';
import { Skeleton, SkeletonRows } from '../ui/Skeleton';

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="flex flex-col gap-2 rounded border border-border bg-surface p-4">
      <h2 id={id} className="text-sm font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

const FINISHED = new Set(['success', 'failed', 'rolled_back', 'cancelled', 'blocked']);

export function DeploymentDetailPage() {
  const { id = '' } = useParams();
  // A link from a scrolled list opens the deployment at its top.
  useEffect(() => document.getElementById('main')?.scrollTo?.(0, 0), [id]);
  const session = useSession();
  const role = session?.user.role ?? 'viewer';
  const userName = useUserName();
  const detail = useQuery({ queryKey: deployKeys.detail(id), queryFn: () => fetchDeployment(id) });
  const d = detail.data;
  const projectId = d?.project_id ?? '';
  const env = d?.environment ?? '';
  const history = useQuery({ queryKey: deployKeys.history(projectId, env), queryFn: () => fetchHistory(projectId, env), enabled: Boolean(d) });
  const envs = useQuery({ queryKey: envKeys.list(projectId), queryFn: () => fetchEnvironments(projectId), enabled: Boolean(d) });
  const log = useQuery({
    queryKey: deploymentLogKey(id),
    queryFn: () => fetchNodeLog(d!.execution_id!, d!.node_id!),
    enabled: Boolean(d?.execution_id && d.node_id),
  });
  const running = d ? !FINISHED.has(d.status) : false;
  useLiveInvalidation(['deployments'], [deployKeys.detail(id), deployKeys.history(projectId, env)], { projectId: projectId || undefined, enabled: Boolean(d) });
  useLiveInvalidation(['logs'], [deploymentLogKey(id), deployKeys.detail(id)], { executionId: d?.execution_id ?? undefined, enabled: running && Boolean(d?.execution_id) });

  const messages = useMemo(() => (log.data ?? []).map((l) => l.message), [log.data]);
  const attempts = useMemo(() => hookAttempts(log.data ?? []), [log.data]);
  const requiredRole = envs.data?.find((e) => e.name === env)?.required_role ?? 'operator';

  if (detail.isPending) {
    return (
      <div className="flex flex-col gap-4" data-testid="deployment-detail" aria-busy="true">
        <Skeleton className="h-7 w-80" />
        <SkeletonRows rows={6} label="Loading the deployment" />
      </div>
    );
  }
  if (detail.isError || !d) return <ErrorState title="The deployment could not be loaded" error={detail.error} onRetry={() => void detail.refetch()} />;
  return (
    <div data-testid="deployment-detail" data-status={d.status} className="flex flex-col gap-4">
      <DeploymentHeader deployment={d} userName={userName} />
      <Section title="Strategy">
        <StrategyProgress deployment={d} logMessages={messages} />
        <CanaryControls deployment={d} requiredRole={requiredRole} role={role} />
      </Section>
      <Section title="Health probes">
        <ProbeTimeline probes={d.probes} />
      </Section>
      <div className="grid grid-cols-2 gap-4">
        <Section title="Hook attempts">
          {log.isLoading ? <SkeletonRows rows={2} label="Loading the deploy log" /> : <HookAttempts attempts={attempts} />}
        </Section>
        <Section title="Rollbacks">
          {history.isPending ? <SkeletonRows rows={2} label="Loading the history" /> : <RelatedRollbacks deployment={d} history={history.data ?? []} />}
        </Section>
      </div>
    </div>
  );
}
