// The list's filters, each a labelled control bound to the URL.
import type { Project } from '../api/types';
import { statusLook } from '../ui/status';
import { ENVIRONMENTS, STATUSES, TRIGGERS, type ExecutionFilters } from './filters';
import { triggerWord } from './words';

const control = 'rounded border border-border bg-surface px-2 py-1 text-sm';

function Select({
  label,
  testId,
  value,
  options,
  onChange,
}: {
  label: string;
  testId: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) {
  const known = value === '' || options.some((o) => o.value === value);
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
      {label}
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} className={`${control} text-fg`}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {!known && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

export function ExecutionFilterBar({
  filters,
  projects,
  onChange,
  onClear,
}: {
  filters: ExecutionFilters;
  projects: Project[];
  onChange: (key: keyof ExecutionFilters, value: string) => void;
  onClear?: () => void;
}) {
  return (
    <form role="search" aria-label="Filter executions" onSubmit={(e) => e.preventDefault()} className="flex flex-wrap items-end gap-3">
      <Select
        label="Status"
        testId="filter-status"
        value={filters.status}
        options={STATUSES.map((s) => ({ value: s, label: statusLook(s).word }))}
        onChange={(v) => onChange('status', v)}
      />
      <Select
        label="Environment"
        testId="filter-environment"
        value={filters.environment}
        options={ENVIRONMENTS.map((e) => ({ value: e, label: e }))}
        onChange={(v) => onChange('environment', v)}
      />
      <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
        Branch
        <input
          data-testid="filter-branch"
          data-search-target
          type="search"
          defaultValue={filters.branch}
          key={filters.branch}
          placeholder="main"
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange('branch', (e.target as HTMLInputElement).value);
            if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
          }}
          onBlur={(e) => {
            if (e.target.value.trim() !== filters.branch) onChange('branch', e.target.value);
          }}
          className={`${control} w-40 font-mono text-fg`}
        />
      </label>
      <Select
        label="Project"
        testId="filter-project"
        value={filters.project}
        options={projects.map((p) => ({ value: p.id, label: p.name }))}
        onChange={(v) => onChange('project', v)}
      />
      <Select
        label="Trigger"
        testId="filter-trigger"
        value={filters.trigger}
        options={TRIGGERS.map((t) => ({ value: t, label: triggerWord(t) }))}
        onChange={(v) => onChange('trigger', v)}
      />
      {onClear && (
        <button type="button" onClick={onClear} className="py-1 text-sm text-accent underline">
          Clear filters
        </button>
      )}
    </form>
  );
}
