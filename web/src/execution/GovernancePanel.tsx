// The governance decision explained in words: a headline (the same "why
// waiting" words as everywhere) and one sentence per rule.
import { useQuery } from '@tanstack/react-query';
import { executionKeys, fetchGovernance, type ExecutionDetail } from './api';
import { headline, ruleSentence } from './governanceText';
import { QuerySection } from './QuerySection';

const MARK: Record<string, string> = { pass: '✓', block: '✕', wait: '‖', needs_approval: '‖', skipped: '–' };
const TONE: Record<string, string> = { pass: 'text-ok', block: 'text-bad', wait: 'text-wait', needs_approval: 'text-wait', skipped: 'text-muted' };

export function GovernancePanel({ execution }: { execution: ExecutionDetail }) {
  const q = useQuery({ queryKey: executionKeys.governance(execution.id), queryFn: () => fetchGovernance(execution.id) });
  return (
    <QuerySection title="Governance" query={q} loadingRows={3} what="the governance decision">
      {(g) => (
        <div data-testid="governance-explanation" className="flex flex-col gap-2">
          <p className="text-sm font-medium">{headline(g, execution)}</p>
          {g.rules.length > 0 && (
            <ul className="flex flex-col gap-1">
              {g.rules.map((r) => (
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
    </QuerySection>
  );
}
