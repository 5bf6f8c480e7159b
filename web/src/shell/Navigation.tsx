// The left navigation (UI.md layout). Approvals carries its live count of
// pending requests (the dashboard's metrics query, refreshed by the event
// stream's approvals topic).
import { useQuery } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { dashboardMetricsQuery, SHELL_LIVE_TOPICS } from './queries';

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `flex items-center justify-between rounded px-3 py-1.5 text-sm ${
    isActive ? 'bg-accent/10 font-semibold text-accent' : 'text-fg hover:bg-surface-2'
  }`;

const LINKS: { to: string; label: string; testId: string; end?: boolean }[] = [
  { to: '/', label: 'Dashboard', testId: 'nav-dashboard', end: true },
  { to: '/executions', label: 'Executions', testId: 'nav-executions' },
  { to: '/approvals', label: 'Approvals', testId: 'nav-approvals' },
  { to: '/environments', label: 'Environments', testId: 'nav-environments' },
  { to: '/pipelines', label: 'Pipelines', testId: 'nav-pipelines' },
  { to: '/agents', label: 'Agents', testId: 'nav-agents' },
  { to: '/audit', label: 'Audit', testId: 'nav-audit' },
  { to: '/settings', label: 'Settings', testId: 'nav-settings' },
];

const METRICS_KEYS = [dashboardMetricsQuery.queryKey];
const ON_APPROVALS = { filter: (e: { topic: string }) => e.topic === 'approvals', intervalMs: 300 };

export function Navigation() {
  const metrics = useQuery(dashboardMetricsQuery);
  useLiveInvalidation(SHELL_LIVE_TOPICS, METRICS_KEYS, ON_APPROVALS);
  const pending = metrics.data?.pending_approvals ?? 0;
  return (
    <nav data-testid="nav" aria-label="Main" className="flex flex-col gap-4 p-3">
      <ul className="flex flex-col gap-0.5">
        {LINKS.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to} end={l.end} className={linkClass} data-testid={l.testId}>
              <span>{l.label}</span>
              {l.to === '/approvals' && pending > 0 && (
                <span
                  data-testid="nav-approvals-badge"
                  className="rounded-full bg-wait/15 px-1.5 text-xs font-semibold text-wait"
                  aria-label={`${pending} pending`}
                >
                  {pending > 99 ? '99+' : pending}
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
