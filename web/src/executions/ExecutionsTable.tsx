// The executions table (data-testid executions-table); j/k move between rows.
import { useRef } from 'react';
import type { Execution } from '../api/types';
import { ExecutionRow } from './ExecutionRow';
import { useRowNavigation } from './useRowNavigation';

const HEADERS = ['Status', 'Execution', 'Project', 'Environment', 'Branch', 'Commit', 'Trigger', 'Started', 'Duration'];

export function ExecutionsTable({
  executions,
  projectNames,
  caption,
}: {
  executions: Execution[];
  projectNames: Map<string, string>;
  caption: string;
}) {
  const table = useRef<HTMLTableElement>(null);
  useRowNavigation(table);
  return (
    <table ref={table} data-testid="executions-table" className="w-full border-collapse text-left">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-border text-xs font-medium text-muted">
          {HEADERS.map((h, i) => (
            <th key={h} scope="col" className={`py-2 pr-3 font-medium ${i === 0 ? 'pl-3' : ''} ${h === 'Duration' ? 'text-right' : ''}`}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {executions.map((e) => (
          <ExecutionRow key={e.id} execution={e} projectName={e.project_id ? projectNames.get(e.project_id) : undefined} />
        ))}
      </tbody>
    </table>
  );
}
