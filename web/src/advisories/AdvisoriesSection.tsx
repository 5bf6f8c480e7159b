// "Advisories" on the dashboard: the chosen project's open advisories (rule,
// severity, message, the observed value against the threshold, when opened),
// most severe first; resolved ones collapsed behind their count. Kept fresh
// by the stream's notifications topic (the scan notifies admins and operators
// of every opened and resolved advisory) and, for everyone else and as a
// safety net, every 30 s. With "all projects" chosen it asks for a project.
// It listens on the shell's topic set (SHELL_LIVE_TOPICS), so it shares the
// bell's EventSource: the dashboard already holds five streams, and a sixth
// would take the browser's last HTTP/1.1 connection to the server (6 per
// host), leaving every later request queued behind the streams.
import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import type { StreamEvent } from '../realtime/types';
import { useProjectScope } from '../shell/projectScope';
import { SHELL_LIVE_TOPICS } from '../shell/queries';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { TONE_CLASS } from '../ui/status';
import { advisoryKeys, fetchAdvisories, fetchRules, type Advisory } from './api';
import { groupAdvisories, observedText, severityLook } from './words';

export const REFRESH_MS = 30_000;

const isAdvisoryEvent = (e: StreamEvent) =>
  e.topic === 'notifications' && typeof e.record?.type === 'string' && e.record.type.startsWith('advisory_');

function Frame({ aside, children }: { aside?: ReactNode; children: ReactNode }) {
  return (
    <section aria-label="Advisories" data-testid="advisories-section" className="flex flex-col gap-3 rounded border border-border bg-surface p-4">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">Advisories</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  const look = severityLook(severity);
  return (
    <span
      data-testid="severity-badge"
      data-severity={severity}
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${TONE_CLASS[look.tone]}`}
    >
      <span aria-hidden="true">{look.icon}</span>
      {look.word}
    </span>
  );
}

function AdvisoryRow({ advisory, unit }: { advisory: Advisory; unit: string }) {
  const values = observedText(advisory, unit);
  const open = advisory.status === 'open';
  return (
    <li data-testid="advisory" data-rule={advisory.rule} data-status={advisory.status} className="flex items-start justify-between gap-3 py-2">
      <div className="flex min-w-0 flex-col gap-0.5">
        <span className="flex items-center gap-2">
          <SeverityBadge severity={advisory.severity} />
          <span className="font-medium">{advisory.title}</span>
        </span>
        {advisory.message && <span className="text-sm">{advisory.message}</span>}
        {values && <span className="text-xs text-muted tabular-nums">{values}</span>}
      </div>
      <span className="shrink-0 text-right text-xs text-muted">
        {open ? 'Opened ' : 'Resolved '}
        <RelativeTime iso={open ? advisory.created_at : (advisory.resolved_at ?? advisory.updated_at)} />
      </span>
    </li>
  );
}

function ProjectAdvisories({ projectId }: { projectId: string }) {
  const advisories = useQuery({
    queryKey: advisoryKeys.project(projectId),
    queryFn: () => fetchAdvisories(projectId),
    refetchInterval: REFRESH_MS,
  });
  const rules = useQuery({ queryKey: advisoryKeys.rules(projectId), queryFn: () => fetchRules(projectId), staleTime: 300_000 });
  useLiveInvalidation(SHELL_LIVE_TOPICS, [advisoryKeys.project(projectId)], { filter: isAdvisoryEvent });
  const units = useMemo(() => new Map((rules.data?.items ?? []).map((r) => [r.rule, r.unit])), [rules.data]);
  const groups = useMemo(() => groupAdvisories(advisories.data?.items ?? []), [advisories.data]);

  const settings = (
    <Link to="/settings/advisory-rules" className="text-xs text-accent underline">
      Advisory rules
    </Link>
  );
  if (advisories.isError) {
    return (
      <Frame aside={settings}>
        <ErrorState title="Could not load the advisories" error={advisories.error} onRetry={() => void advisories.refetch()} />
      </Frame>
    );
  }
  if (advisories.isPending) {
    return (
      <Frame aside={settings}>
        <SkeletonRows rows={2} label="Loading advisories" />
      </Frame>
    );
  }
  const { open, resolved } = groups;
  return (
    <Frame aside={settings}>
      {open.length === 0 ? (
        <EmptyState title="No open advisories">
          Opzenix checks this project’s deployments, executions and ingested metrics against the advisory rules every few minutes;
          anything over a threshold shows here and in the notifications.
        </EmptyState>
      ) : (
        <ul aria-label="Open advisories" className="flex flex-col divide-y divide-border">
          {open.map((a) => (
            <AdvisoryRow key={a.id} advisory={a} unit={units.get(a.rule) ?? ''} />
          ))}
        </ul>
      )}
      {resolved.length > 0 && (
        <details data-testid="resolved-advisories" className="text-sm">
          <summary className="cursor-pointer text-muted">
            {resolved.length} resolved {resolved.length === 1 ? 'advisory' : 'advisories'}
          </summary>
          <ul aria-label="Resolved advisories" className="flex flex-col divide-y divide-border">
            {resolved.map((a) => (
              <AdvisoryRow key={a.id} advisory={a} unit={units.get(a.rule) ?? ''} />
            ))}
          </ul>
        </details>
      )}
    </Frame>
  );
}

export function AdvisoriesSection() {
  const projectId = useProjectScope();
  if (!projectId) {
    return (
      <Frame>
        <EmptyState title="Pick a project to see its advisories">
          Advisories are raised per project when a metric crosses an advisory rule’s threshold: choose one in the project switcher at
          the top.
        </EmptyState>
      </Frame>
    );
  }
  return <ProjectAdvisories projectId={projectId} />;
}
