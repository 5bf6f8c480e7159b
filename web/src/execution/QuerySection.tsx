// A titled box of the execution page whose content comes from one query:
// a skeleton while it loads, the error (with retry) when it fails, the
// content once it is there.
import { useId, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';

export interface QuerySectionProps<T> {
  title: string;
  query: UseQueryResult<T>;
  loadingRows: number;
  what: string; // "the governance decision": in "Loading …" and "… could not be loaded"
  children: (data: T) => ReactNode;
}

export function QuerySection<T>({ title, query, loadingRows, what, children }: QuerySectionProps<T>) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded border border-border bg-surface p-4">
      <h2 id={id} className="mb-2 text-sm font-semibold">
        {title}
      </h2>
      {query.isPending && <SkeletonRows rows={loadingRows} label={`Loading ${what}`} />}
      {query.isError && (
        <ErrorState title={`${what.charAt(0).toUpperCase()}${what.slice(1)} could not be loaded`} error={query.error} onRetry={() => void query.refetch()} />
      )}
      {query.data !== undefined && children(query.data)}
    </section>
  );
}
