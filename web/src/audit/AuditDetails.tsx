// One audit entry in full: what was recorded, from where, and its place in
// the hash chain (prev_hash → hash), every value selectable for copying.
import type { ReactNode } from 'react';
import { formatAbsolute } from '../ui/format';
import type { AuditEntry } from './types';

function Field({ label, children, mono = true }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2">
      <dt className="text-xs font-medium text-muted">{label}</dt>
      <dd className={`min-w-0 text-xs break-all select-all ${mono ? 'font-mono' : ''}`}>{children}</dd>
    </div>
  );
}

export function AuditDetails({ entry, id }: { entry: AuditEntry; id: string }) {
  const details = entry.details === null || entry.details === undefined ? '' : JSON.stringify(entry.details, null, 2);
  return (
    <div id={id} data-testid="audit-details" className="flex gap-6 py-2">
      <dl className="flex min-w-0 flex-1 flex-col gap-1">
        <Field label="Action">{entry.action}</Field>
        <Field label="Time" mono={false}>
          {formatAbsolute(entry.created_at)}
        </Field>
        <Field label="Row (seq)">{entry.seq ?? 'not chained'}</Field>
        <Field label="Entry id">{entry.id}</Field>
        <Field label="User id">{entry.user_id ?? '—'}</Field>
        <Field label="Resource">
          {entry.resource_type} {entry.resource_id}
        </Field>
        <Field label="IP address">{entry.ip_address ?? '—'}</Field>
        <Field label="User agent">{entry.user_agent ?? '—'}</Field>
        <Field label="Previous hash">{entry.prev_hash ?? '—'}</Field>
        <Field label="Hash">{entry.hash ?? '—'}</Field>
      </dl>
      <div className="min-w-0 flex-1">
        <p className="text-xs font-medium text-muted">Details</p>
        {details && details !== '{}' ? (
          <pre className="mt-1 max-h-64 overflow-auto rounded border border-border bg-surface-2 p-2 font-mono text-xs whitespace-pre-wrap">{details}</pre>
        ) : (
          <p className="mt-1 text-xs text-muted">No details recorded.</p>
        )}
      </div>
    </div>
  );
}
