// The governance decision explained in words: a headline (the same "why
// waiting" words as everywhere) and one sentence per rule.
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { executionKeys, fetchGovernance, type ExecutionDetail } from './api';
import { headline, ruleSentence } from './governanceText';

const MARK: Record<string, string> = { pass: '✓', block: '✕', wait: '⏸', needs_approval: '⏸', skipped: '–' };
const TONE: Record<string, string> = { pass: 'text-ok', block: 'text-bad', wait: 'text-wait', needs_approval: 'text-wait', skipped: 'text-muted' };

export function GovernancePanel({ execution }: { execution: ExecutionDetail }) {
  const q = useQuery({ queryKey: executionKeys.governance(execution.id), queryFn: () => fetchGovernance(execution.id) });
  return (
    <section aria-labelledby="gov-title" className="rounded border border-border bg-surface p-4">
      <h2 id="gov-title" className="mb-2 text-sm font-semibold">
        Governance
      </h2>
      {q.isPending && <SkeletonRows rows={3} label="Loading the governance decision" />}
      {q.isError && <ErrorState title="The governance decision could not be loaded" error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <div data-testid="governance-explanation" className="flex flex-col gap-2">
          <p className="text-sm font-medium">{headline(q.data, execution)}</p>
          {q.data.rules.length > 0 && (
            <ul className="flex flex-col gap-1">
              {q.data.rules.map((r) => (
                <li key={r.rule} data-rule={r.rule} data-result={r.result} className="flex gap-2 text-sm">
                  <span aria-hidden="true" className={`w-4 shrink-0 ${TONE[r.result] ?? ''}`}>
                    {MARK[r.result] ?? '•'}
                  </span>
                  <span>{ruleSentence(r)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
