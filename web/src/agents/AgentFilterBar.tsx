// Status and label filters (kept in the URL by the page): a status choice
// with counts, label toggles (an agent must have every pressed label, as
// runs_on selects), and Clear.
import { Button } from '../ui/Button';
import { STATUSES, type AgentFilters, type StatusFilter } from './filters';

const STATUS_WORD: Record<string, string> = { online: 'Online', lost: 'Lost', disabled: 'Disabled' };

export function AgentFilterBar({
  filters,
  labels,
  counts,
  onStatus,
  onLabel,
  onClear,
}: {
  filters: AgentFilters;
  labels: string[];
  counts: Record<string, number>;
  onStatus: (s: StatusFilter) => void;
  onLabel: (label: string) => void;
  onClear?: () => void;
}) {
  return (
    <div role="group" aria-label="Filter agents" className="flex flex-wrap items-center gap-3 rounded border border-border bg-surface p-3">
      <label className="flex items-center gap-2 text-xs font-medium text-muted">
        Status
        <select
          data-testid="agent-filter-status"
          value={filters.status}
          onChange={(e) => onStatus(e.target.value as StatusFilter)}
          className="rounded border border-border bg-surface-2 px-2 py-1 text-sm text-fg"
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_WORD[s]} ({counts[s] ?? 0})
            </option>
          ))}
        </select>
      </label>
      {labels.length > 0 && (
        <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Labels (all must match)">
          <span className="mr-1 text-xs font-medium text-muted">Labels</span>
          {labels.map((l) => {
            const on = filters.labels.includes(l);
            return (
              <button
                key={l}
                type="button"
                data-testid="agent-filter-label"
                data-label={l}
                aria-pressed={on}
                onClick={() => onLabel(l)}
                className={`cursor-pointer rounded-full border px-2 py-0.5 font-mono text-xs ${
                  on ? 'border-accent bg-accent/15 text-accent' : 'border-border bg-surface-2 text-fg hover:border-accent'
                }`}
              >
                {on && <span aria-hidden="true">✓ </span>}
                {l}
              </button>
            );
          })}
        </div>
      )}
      {onClear && (
        <Button size="sm" variant="ghost" data-testid="agent-filter-clear" onClick={onClear}>
          Clear filters
        </Button>
      )}
    </div>
  );
}
