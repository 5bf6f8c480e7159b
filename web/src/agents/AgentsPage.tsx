// The agents page (/agents; issue 14, docs/agents.md): every remote agent
// with its labels, status and why, last seen, running work and capacity;
// filters by status and label in the URL; refreshed every 5 s while the tab
// is visible (no event-stream topic carries agents); admins create
// registration tokens and disable agents. With no agent yet, the empty state
// is the how-to.
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { ListPanel } from '../settings/ListPanel';
import { useSession } from '../shell/useSession';
import { EmptyState } from '../ui/EmptyState';
import { useNow } from '../ui/useNow';
import { AddAgentPanel } from './AddAgentPanel';
import { AgentFilterBar } from './AgentFilterBar';
import { AgentsTable } from './AgentsTable';
import { agentsQuery, leaseTimeoutQuery } from './api';
import { clearedFilters, filterAgents, filtersFromParams, isFiltered, labelChoices, statusCounts, toggledLabel, withStatus } from './filters';
import { DEFAULT_LEASE_TIMEOUT_MS } from './status';

export function AgentsPage() {
  const session = useSession();
  const isAdmin = session?.user.role === 'admin';
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const list = useQuery(agentsQuery);
  const lease = useQuery(leaseTimeoutQuery(isAdmin)).data ?? { ms: DEFAULT_LEASE_TIMEOUT_MS, known: false };
  const now = useNow(1000);
  const all = list.data?.items ?? [];
  const shown = filterAgents(all, filters);
  const filtered = isFiltered(filters);
  const serverUrl = window.location.origin;

  return (
    <section aria-labelledby="agents-title" className="flex flex-col gap-4">
      <div className="flex items-baseline justify-between gap-4">
        <div>
          <h1 id="agents-title" className="text-xl font-semibold">
            Agents
          </h1>
          <p className="text-sm text-muted">
            Machines that run the nodes with <code className="font-mono">runs_on</code> labels. Every other node runs on the server.
          </p>
        </div>
        <span className="text-xs whitespace-nowrap text-muted" role="status">
          {list.isError ? '○ Not refreshing' : '● Refreshed every 5 s'}
        </span>
      </div>
      {all.length > 0 && (
        <AgentFilterBar
          filters={filters}
          labels={labelChoices(all, filters)}
          counts={statusCounts(all)}
          onStatus={(s) => setParams(withStatus(params, s), { replace: true })}
          onLabel={(l) => setParams(toggledLabel(params, l), { replace: true })}
          onClear={filtered ? () => setParams(clearedFilters(params), { replace: true }) : undefined}
        />
      )}
      <ListPanel
        state={list}
        empty={shown.length === 0}
        rows={4}
        loadingLabel="Loading agents"
        errorTitle="Could not load the agents"
        emptyState={
          all.length > 0 ? (
            <EmptyState title="No agent matches these filters">Change or clear the filters to see the other {all.length === 1 ? 'agent' : `${all.length} agents`}.</EmptyState>
          ) : (
            <EmptyState title="No agents yet">
              <p className="mb-3">
                Every node runs on this server. To run nodes on other machines, add an agent{isAdmin ? '' : ' (an admin creates the registration token)'}:
              </p>
              <AddAgentPanel isAdmin={isAdmin} serverUrl={serverUrl} />
            </EmptyState>
          )
        }
      >
        {() => <AgentsTable agents={shown} now={now} lease={lease} isAdmin={isAdmin} />}
      </ListPanel>
      {all.length > 0 && (
        <details className="rounded border border-border bg-surface p-3" data-testid="add-agent-details">
          <summary className="cursor-pointer text-sm font-medium">Add an agent</summary>
          <div className="mt-3">
            <AddAgentPanel isAdmin={isAdmin} serverUrl={serverUrl} />
          </div>
        </details>
      )}
    </section>
  );
}
