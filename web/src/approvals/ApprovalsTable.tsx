// The inbox table (data-testid approvals-table), oldest request first; a
// header checkbox selects every request the user may approve; j/k move
// between rows.
import { useRef, type ReactNode } from 'react';
import { useRowNavigation } from '../executions/useRowNavigation';

const HEADERS = ['Execution', 'Project', 'Environment', 'Requested by', 'Waiting', 'Approvals'];

export function ApprovalsTable({
  children,
  allSelected,
  selectable,
  onSelectAll,
}: {
  children: ReactNode;
  allSelected: boolean;
  selectable: number;
  onSelectAll: (selected: boolean) => void;
}) {
  const table = useRef<HTMLTableElement>(null);
  useRowNavigation(table);
  return (
    <table ref={table} data-testid="approvals-table" className="w-full border-collapse text-left">
      <caption className="sr-only">Pending approvals, oldest first</caption>
      <thead>
        <tr className="border-b border-border text-xs font-medium text-muted">
          <th scope="col" className="w-8 py-2 pr-2 pl-3">
            <input
              type="checkbox"
              checked={allSelected}
              disabled={selectable === 0}
              onChange={(e) => onSelectAll(e.target.checked)}
              aria-label="Select every approval you may approve"
            />
          </th>
          {HEADERS.map((h) => (
            <th key={h} scope="col" className="py-2 pr-3 font-medium">
              {h}
            </th>
          ))}
          <th scope="col" className="py-2 pr-3 text-right font-medium">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
