// The audit log (/audit): every recorded action, newest first, with filters
// in the URL (user, action, resource, time), "Load more" through
// next_cursor, live through the `audit` topic, each row expandable to its
// details and hashes. Above it the chain's state (admins verify it) and the
// export of the filtered rows. Admins see everyone's entries; others their
// own (the server decides; the page says so).
import { useSearchParams } from 'react-router';
import { AuditFilterBar } from '../audit/AuditFilterBar';
import { AuditTable } from '../audit/AuditTable';
import { ChainStatus } from '../audit/ChainStatus';
import { ExportButtons } from '../audit/ExportButtons';
import { clearedFilters, filtersFromParams, isFiltered, withFilter } from '../audit/filters';
import { auditKey, useAuditPages, useChainVerification } from '../audit/queries';
import { useUserNames } from '../audit/useUserNames';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { ListPanel } from '../settings/ListPanel';
import { useSession } from '../shell/useSession';
import { EmptyState } from '../ui/EmptyState';
import { LoadMore } from '../ui/LoadMore';

export function AuditPage() {
  const session = useSession();
  const isAdmin = session?.user.role === 'admin';
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const pages = useAuditPages(filters, isAdmin);
  const chain = useChainVerification(isAdmin);
  const { users, nameOf } = useUserNames(session?.user.id ?? '', isAdmin);
  const { connected } = useLiveInvalidation(['audit'], [auditKey]);
  const entries = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = isFiltered(filters);

  return (
    <section aria-labelledby="audit-title" className="flex flex-col gap-4">
      <div className="flex items-baseline justify-between gap-4">
        <div>
          <h1 id="audit-title" className="text-xl font-semibold">
            Audit log
          </h1>
          <p className="text-sm text-muted">
            {isAdmin
              ? 'Every change and every refused attempt, by everyone, newest first.'
              : 'Your own actions, newest first. Only admins see everyone’s entries.'}
          </p>
        </div>
        <div className="flex flex-col items-end gap-2">
          <span className="text-xs whitespace-nowrap text-muted" role="status">
            {connected ? '● Live' : '○ Connecting to live updates…'}
          </span>
          <ExportButtons filters={filters} isAdmin={isAdmin} />
        </div>
      </div>
      <ChainStatus query={chain} isAdmin={isAdmin} />
      <AuditFilterBar
        filters={filters}
        isAdmin={isAdmin}
        users={users}
        onChange={(key, value) => setParams(withFilter(params, key, value), { replace: true })}
        onClear={filtered ? () => setParams(clearedFilters(params), { replace: true }) : undefined}
      />
      <ListPanel
        state={pages}
        empty={entries.length === 0}
        rows={10}
        loadingLabel="Loading audit entries"
        errorTitle="Could not load the audit log"
        emptyState={
          filtered ? (
            <EmptyState title="No audit entries match these filters">Change or clear the filters to see more.</EmptyState>
          ) : (
            <EmptyState title="No audit entries yet">Every change (a run started, a role changed, an environment locked) is recorded here.</EmptyState>
          )
        }
      >
        {() => <AuditTable entries={entries} nameOf={nameOf} />}
      </ListPanel>
      <LoadMore pages={pages} />
    </section>
  );
}
