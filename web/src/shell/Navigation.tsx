// The left navigation (UI.md layout). Dashboard and Executions are live;
// the pages of the next issue (Approvals, Environments, Pipelines, Audit,
// Settings) are listed as "coming" so the layout is the final one, and
// Approvals already carries its live count.
import { useQuery } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import { dashboardMetricsQuery } from './queries';

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `flex items-center justify-between rounded px-3 py-1.5 text-sm ${
    isActive ? 'bg-accent/10 font-semibold text-accent' : 'text-fg hover:bg-surface-2'
  }`;

const COMING = ['Environments', 'Pipelines', 'Audit', 'Settings'];

function Coming({ label, badge }: { label: string; badge?: number }) {
  return (
    <li>
      <span aria-disabled="true" className="flex items-center justify-between rounded px-3 py-1.5 text-sm text-muted">
        <span>
          {label} <span className="text-xs">(coming)</span>
        </span>
        {badge !== undefined && badge > 0 && (
          <span className="rounded-full bg-wait/15 px-1.5 text-xs font-semibold text-wait" aria-label={`${badge} pending`}>
            {badge > 99 ? '99+' : badge}
          </span>
        )}
      </span>
    </li>
  );
}

export function Navigation() {
  const metrics = useQuery(dashboardMetricsQuery);
  return (
    <nav data-testid="nav" aria-label="Main" className="flex flex-col gap-4 p-3">
      <ul className="flex flex-col gap-0.5">
        <li>
          <NavLink to="/" end className={linkClass} data-testid="nav-dashboard">
            Dashboard
          </NavLink>
        </li>
        <li>
          <NavLink to="/executions" className={linkClass} data-testid="nav-executions">
            Executions
          </NavLink>
        </li>
        <Coming label="Approvals" badge={metrics.data?.pending_approvals} />
        {COMING.map((label) => (
          <Coming key={label} label={label} />
        ))}
      </ul>
    </nav>
  );
}
