// The audit entries, newest first; each row's toggle opens its details.
import { AUDIT_COLUMNS, AuditRow } from './AuditRow';
import type { AuditEntry } from './types';

export function AuditTable({ entries, nameOf }: { entries: AuditEntry[]; nameOf: (userId: string | null) => string }) {
  return (
    <table data-testid="audit-table" className="w-full border-collapse text-left">
      <caption className="sr-only">Audit entries, newest first</caption>
      <thead>
        <tr className="border-b border-border text-xs font-medium text-muted">
          {AUDIT_COLUMNS.map((h, i) => (
            <th key={i} scope="col" className={`py-2 pr-3 font-medium ${i === 0 ? 'pl-2' : ''}`}>
              {h || <span className="sr-only">Details</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <AuditRow key={e.id} entry={e} userName={nameOf(e.user_id)} />
        ))}
      </tbody>
    </table>
  );
}
