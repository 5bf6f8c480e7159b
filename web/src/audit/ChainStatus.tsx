// The hash chain's state above the list: "Chain verified up to row N (head
// abc123…)" in green, the first broken row in red, or why it is not shown
// (verification is an admin action).
import type { UseQueryResult } from '@tanstack/react-query';
import { Button } from '../ui/Button';
import { Skeleton } from '../ui/Skeleton';
import { chainStatusText, chainUnavailableText, type ChainStatusText } from './chainStatus';
import type { ChainVerification } from './types';

const TONE: Record<ChainStatusText['tone'], string> = {
  ok: 'border-ok/40 bg-ok/10 text-ok',
  bad: 'border-bad/50 bg-bad/10 text-bad',
  idle: 'border-border bg-surface text-muted',
};
const ICON: Record<ChainStatusText['tone'], string> = { ok: '✓', bad: '✕', idle: '○' };

export function ChainStatus({ query, isAdmin }: { query: UseQueryResult<ChainVerification>; isAdmin: boolean }) {
  if (isAdmin && query.isPending)
    return (
      <div data-testid="audit-chain-status" data-state="loading" role="status" aria-label="Verifying the audit chain" className="rounded border border-border bg-surface p-3">
        <Skeleton className="h-4 w-80" />
      </div>
    );
  const status = query.data && isAdmin ? chainStatusText(query.data) : chainUnavailableText(query.error, isAdmin);
  const state = query.data && isAdmin ? (query.data.ok ? 'verified' : 'broken') : 'unavailable';
  return (
    <div
      data-testid="audit-chain-status"
      data-state={state}
      role={status.tone === 'bad' ? 'alert' : 'status'}
      className={`flex items-start justify-between gap-3 rounded border p-3 ${TONE[status.tone]}`}
    >
      <div className="flex gap-2">
        <span aria-hidden="true" className="font-semibold">
          {ICON[status.tone]}
        </span>
        <div>
          <p className="text-sm font-medium">{status.text}</p>
          {status.detail && <p className="text-xs text-fg">{status.detail}</p>}
        </div>
      </div>
      {isAdmin && (
        <Button size="sm" onClick={() => void query.refetch()} disabled={query.isFetching} reason={query.isFetching ? 'Verifying…' : undefined}>
          {query.isFetching ? 'Verifying…' : 'Verify again'}
        </Button>
      )}
    </div>
  );
}
