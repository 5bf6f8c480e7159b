// One audit entry in the list; the toggle opens its details beneath it.
import { useId, useState } from 'react';
import { RelativeTime } from '../ui/RelativeTime';
import { actionWords } from './actionWords';
import { AuditDetails } from './AuditDetails';
import type { AuditEntry } from './types';

export const AUDIT_COLUMNS = ['', 'Row', 'When', 'Action', 'User', 'Resource', 'IP address'];

function resourceText(e: AuditEntry): string {
  if (!e.resource_type && !e.resource_id) return '—';
  const id = e.resource_id.length > 12 ? e.resource_id.slice(0, 8) + '…' : e.resource_id;
  return `${e.resource_type} ${id}`.trim();
}

export function AuditRow({ entry: e, userName }: { entry: AuditEntry; userName: string }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const denied = e.action === 'access.denied' || e.action.endsWith('_refused') || e.action.endsWith('_failed');
  return (
    <>
      <tr data-testid="audit-row" data-action={e.action} data-seq={e.seq ?? ''} className="border-b border-border hover:bg-surface-2 focus-within:bg-surface-2">
        <td className="w-8 py-1.5 pl-2 align-top">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} details of ${actionWords(e.action)}${e.seq ? `, row ${e.seq}` : ''}`}
            onClick={() => setOpen((o) => !o)}
            className="w-6 rounded text-muted hover:bg-border/50"
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        </td>
        <td className="py-1.5 pr-3 align-top font-mono text-xs text-muted tabular-nums">{e.seq ?? '—'}</td>
        <td className="py-1.5 pr-3 align-top text-sm whitespace-nowrap">
          <RelativeTime iso={e.created_at} />
        </td>
        <td className="py-1.5 pr-3 align-top">
          <span className={`text-sm font-medium ${denied ? 'text-bad' : ''}`}>{actionWords(e.action)}</span>{' '}
          <code className="font-mono text-xs text-muted">{e.action}</code>
        </td>
        <td className="max-w-56 truncate py-1.5 pr-3 align-top text-sm" title={e.user_id ?? undefined}>
          {userName}
        </td>
        <td className="py-1.5 pr-3 align-top font-mono text-xs" title={`${e.resource_type} ${e.resource_id}`}>
          {resourceText(e)}
        </td>
        <td className="py-1.5 pr-3 align-top font-mono text-xs">{e.ip_address ?? '—'}</td>
      </tr>
      {open && (
        <tr className="border-b border-border bg-surface-2/50">
          <td />
          <td colSpan={AUDIT_COLUMNS.length - 1} className="pr-3">
            <AuditDetails entry={e} id={detailsId} />
          </td>
        </tr>
      )}
    </>
  );
}
