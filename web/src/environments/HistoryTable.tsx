// An environment's deployments like `helm history`: one row per
// deployment, newest first, with revision, version, commit, status,
// strategy, who, when and why; rollbacks labelled "rollback v2 → v1";
// versions a rollback marked bad flagged. Each row but the current one
// offers a rollback to it (RollbackButton).
import { Link } from 'react-router';
import { shortSha } from '../ui/format';
import { RelativeTime } from '../ui/RelativeTime';
import { StatusBadge } from '../ui/StatusBadge';
import { currentRow, rollbackLabel } from './history';
import { RollbackButton } from './RollbackButton';
import type { Environment, HistoryItem } from './types';
import { versionText } from './words';
import { TableHead } from '../deployments/TableHead';

const COLUMNS = [{ name: 'Rev' }, { name: 'Version' }, { name: 'Status' }, { name: 'Deployed' }, { name: 'Description' }, { name: 'Actions', hidden: true }];
const STRATEGY: Record<string, string> = { rolling: 'rolling', blue_green: 'blue/green', canary: 'canary' };
const STATUS_WORD: Record<string, string> = { rolled_back: 'Rolled back', blocked: 'Blocked' };

export interface HistoryTableProps {
  env: Environment;
  rows: HistoryItem[];
  complete: boolean; // every deployment is listed (revision numbers are exact)
  role: string;
  userName: (id: string | null) => string;
}

export function HistoryTable({ env, rows, complete, role, userName }: HistoryTableProps) {
  const current = currentRow(rows);
  return (
    <table className="w-full text-left text-sm" aria-label={`${env.name} deployment history`}>
      <TableHead columns={COLUMNS} />
      <tbody>
        {rows.map((row, i) => {
          const label = rollbackLabel(rows, i);
          return (
            <tr
              key={row.deployment_id}
              data-testid="history-row"
              data-deployment-id={row.deployment_id}
              data-current={row.is_current ? 'true' : 'false'}
              data-bad={row.marked_bad ? 'true' : 'false'}
              className={`border-t border-border align-top ${row.is_current ? 'bg-ok/5' : ''}`}
            >
              <td className="py-1.5 pr-2 font-mono text-xs text-muted">{complete ? rows.length - i : ''}</td>
              <td className="py-1.5 pr-2">
                <Link to={`/deployments/${row.deployment_id}`} className="font-mono font-medium hover:underline">
                  {versionText(row)}
                </Link>
                <span className="ml-1.5 font-mono text-xs text-muted" title={row.commit_sha ?? undefined}>
                  {shortSha(row.commit_sha)}
                </span>
                {row.is_current && <span className="ml-1.5 rounded bg-ok/15 px-1 text-xs font-medium text-ok">current</span>}
                {row.marked_bad && (
                  <span data-testid="bad-version" title="A rollback marked this version bad" className="ml-1.5 rounded bg-bad/10 px-1 text-xs font-medium text-bad">
                    ⚠ bad version
                  </span>
                )}
              </td>
              <td className="py-1.5 pr-2">
                <StatusBadge status={row.status} label={STATUS_WORD[row.status]} />
                <span className="ml-1 text-xs text-muted">{STRATEGY[row.strategy ?? ''] ?? row.strategy}</span>
              </td>
              <td className="py-1.5 pr-2 text-xs whitespace-nowrap">
                {userName(row.deployed_by)}, <RelativeTime iso={row.completed_at ?? row.started_at ?? row.created_at} />
              </td>
              <td className="py-1.5 pr-2 text-xs">
                {label && (
                  <span data-testid="rollback-label" className="mr-1 font-mono font-medium">
                    ↩ {label.text}
                  </span>
                )}
                {row.reason && <span className="text-muted">{label ? `— ${row.reason}` : row.reason}</span>}
              </td>
              <td className="py-1.5 text-right">
                <RollbackButton env={env} row={row} current={current} role={role} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
