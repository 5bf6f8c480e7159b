// The frame every list on these pages shares: skeleton rows while loading,
// the error with a retry, the empty state, else the list itself.
import type { ReactNode } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';

export interface ListState {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

export function ListPanel({
  state,
  empty,
  loadingLabel,
  errorTitle,
  emptyState,
  rows = 4,
  children,
}: {
  state: ListState;
  empty: boolean;
  loadingLabel: string;
  errorTitle: string;
  emptyState: ReactNode;
  rows?: number;
  children: () => ReactNode; // called only when there is something to show
}) {
  const pad = (n: ReactNode) => <div className="p-3">{n}</div>;
  return (
    <div className="overflow-x-auto rounded border border-border bg-surface">
      {state.isPending
        ? pad(<SkeletonRows rows={rows} label={loadingLabel} />)
        : state.isError
          ? pad(<ErrorState title={errorTitle} error={state.error} onRetry={() => void state.refetch()} />)
          : empty
            ? pad(emptyState)
            : children()}
    </div>
  );
}
