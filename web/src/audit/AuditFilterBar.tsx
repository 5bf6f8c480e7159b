// The audit log's filters, each a labelled control bound to the URL. Admins
// pick any user; everyone else sees only their own entries (the server
// decides), so their user filter is fixed and says why.
import { useId } from 'react';
import type { User } from '../settings/users';
import { userLabel } from '../settings/users';
import { actionWords, KNOWN_ACTIONS } from './actionWords';
import { isoToLocalInput, localInputToIso, type AuditFilters } from './filters';

const control = 'rounded border border-border bg-surface px-2 py-1 text-sm text-fg';
const labelClass = 'flex flex-col gap-0.5 text-xs font-medium text-muted';

// A text filter applied on Enter or when leaving the field.
function TextFilter({
  label,
  testId,
  value,
  placeholder,
  list,
  className = 'w-40',
  onChange,
}: {
  label: string;
  testId: string;
  value: string;
  placeholder?: string;
  list?: string;
  className?: string;
  onChange: (v: string) => void;
}) {
  return (
    <label className={labelClass}>
      {label}
      <input
        data-testid={testId}
        type="search"
        defaultValue={value}
        key={value}
        placeholder={placeholder}
        list={list}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange((e.target as HTMLInputElement).value);
        }}
        onBlur={(e) => {
          if (e.target.value.trim() !== value) onChange(e.target.value);
        }}
        className={`${control} font-mono ${className}`}
      />
    </label>
  );
}

function TimeFilter({ label, testId, value, onChange }: { label: string; testId: string; value: string; onChange: (iso: string) => void }) {
  return (
    <label className={labelClass}>
      {label}
      <input
        data-testid={testId}
        type="datetime-local"
        value={isoToLocalInput(value)}
        onChange={(e) => onChange(localInputToIso(e.target.value))}
        className={`${control} w-48`}
      />
    </label>
  );
}

export function AuditFilterBar({
  filters,
  isAdmin,
  users,
  onChange,
  onClear,
}: {
  filters: AuditFilters;
  isAdmin: boolean;
  users: User[];
  onChange: (key: keyof AuditFilters, value: string) => void;
  onClear?: () => void;
}) {
  const actionsId = useId();
  const ownOnlyId = useId();
  const knownUser = filters.user === '' || users.some((u) => u.id === filters.user);
  return (
    <form role="search" aria-label="Filter audit entries" onSubmit={(e) => e.preventDefault()} className="flex flex-wrap items-end gap-3">
      <label className={labelClass}>
        User
        {isAdmin ? (
          <select data-testid="audit-filter-user" value={filters.user} onChange={(e) => onChange('user', e.target.value)} className={`${control} w-40`}>
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {userLabel(u)}
              </option>
            ))}
            {!knownUser && <option value={filters.user}>{filters.user}</option>}
          </select>
        ) : (
          <select data-testid="audit-filter-user" disabled aria-describedby={ownOnlyId} value="" className={`${control} w-40 opacity-60`}>
            <option value="">You</option>
          </select>
        )}
        {!isAdmin && (
          <span id={ownOnlyId} className="sr-only">
            Only admins see other users' entries
          </span>
        )}
      </label>
      <TextFilter label="Action" testId="audit-filter-action" value={filters.action} placeholder="user.created" list={actionsId} onChange={(v) => onChange('action', v)} />
      <datalist id={actionsId}>
        {KNOWN_ACTIONS.map((a) => (
          <option key={a} value={a}>
            {actionWords(a)}
          </option>
        ))}
      </datalist>
      <TextFilter label="Resource type" testId="audit-filter-resource-type" value={filters.resourceType} placeholder="project" className="w-24" onChange={(v) => onChange('resourceType', v)} />
      <TextFilter label="Resource id" testId="audit-filter-resource-id" value={filters.resourceId} className="w-32" onChange={(v) => onChange('resourceId', v)} />
      <TimeFilter label="From" testId="audit-filter-from" value={filters.from} onChange={(v) => onChange('from', v)} />
      <TimeFilter label="To" testId="audit-filter-to" value={filters.to} onChange={(v) => onChange('to', v)} />
      {onClear && (
        <button type="button" onClick={onClear} className="py-1 text-sm text-accent underline">
          Clear filters
        </button>
      )}
    </form>
  );
}
