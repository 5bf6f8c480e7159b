// Approving the selected requests at once (data-testid approve-selected), and
// what came of it: how many passed, and for each refusal which request and
// why (a 403 self-approval, a 409 already decided…). The others are kept.
import { Button } from '../ui/Button';
import type { BulkOutcome } from './bulk';
import { bulkSummaryText, failureText } from './text';

export function BulkBar({
  selected,
  busy,
  outcomes,
  describe,
  onApprove,
  onClear,
}: {
  selected: number;
  busy: boolean;
  outcomes: BulkOutcome[] | null;
  describe: (id: string) => string; // "Deploy web to Production"
  onApprove: () => void;
  onClear: () => void;
}) {
  const failures = outcomes?.filter((o) => !o.ok) ?? [];
  return (
    <div data-testid="bulk-bar" className="flex flex-col gap-2 rounded border border-border bg-surface p-3">
      <div className="flex items-center gap-3">
        <span className="text-sm tabular-nums" role="status">
          {selected === 0 ? 'Select requests to approve several at once.' : `${selected} selected`}
        </span>
        <Button
          size="sm"
          variant="primary"
          data-testid="approve-selected"
          disabled={selected === 0 || busy}
          reason={busy ? 'Sending the votes…' : selected === 0 ? 'Select one or more requests first' : undefined}
          onClick={onApprove}
        >
          {busy ? 'Approving…' : `Approve ${selected || ''} selected`.replace('  ', ' ')}
        </Button>
        {selected > 0 && (
          <Button size="sm" variant="ghost" onClick={onClear}>
            Clear selection
          </Button>
        )}
      </div>
      {outcomes && outcomes.length > 0 && (
        <div data-testid="bulk-result" role="status" className="text-sm">
          <p className={failures.length ? 'font-medium text-bad' : 'font-medium text-ok'}>{bulkSummaryText(outcomes)}</p>
          {failures.length > 0 && (
            <ul className="mt-1 flex list-disc flex-col gap-0.5 pl-5">
              {failures.map((f) => (
                <li key={f.id} data-testid="bulk-failure" data-approval-id={f.id}>
                  <span className="font-medium">{describe(f.id)}</span>: {failureText(f.error)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
