// The audit entries, newest first; each row's toggle opens its details.
import { TableHead } from '../settings/TableHead';
import { AUDIT_COLUMNS, AuditRow } from './AuditRow';
import type { AuditEntry } from './types';

export function AuditTable({ entries, nameOf }: { entries: AuditEntry[]; nameOf: (userId: string | null) => string }) {
  return (
    <table data-testid="audit-table" className="w-full border-collapse text-left">
      <caption className="sr-only">Audit entries, newest first</caption>
      <TableHead headers={AUDIT_COLUMNS} blank="Details" />
      <tbody>
        {entries.map((e) => (
          <AuditRow key={e.id} entry={e} userName={nameOf(e.user_id)} />
        ))}
      </tbody>
    </table>
  );
}
