// Exporting the filtered audit rows: every page the filters select is
// fetched (through next_cursor, up to a cap), then written as CSV (for a
// spreadsheet) or JSON lines (faithful: the same keys as
// `opzenix audit export`, so `opzenix audit verify --file` can check a
// contiguous export). Pure but for the injected page fetcher.
import type { Page } from '../api/types';
import type { AuditEntry } from './types';

export const EXPORT_COLUMNS = [
  'seq',
  'created_at',
  'action',
  'user_id',
  'resource_type',
  'resource_id',
  'ip_address',
  'user_agent',
  'details',
  'prev_hash',
  'hash',
  'id',
] as const;

export const EXPORT_CAP = 20_000; // rows; beyond this use `opzenix audit export`

// One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF,
// with quotes doubled. A text starting with = + - @ or a tab/CR is prefixed
// with ' so a spreadsheet shows it instead of running it as a formula
// (CSV injection: user agents and details come from outside).
export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: AuditEntry[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const row of rows) lines.push(EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

// JSON lines in seq order (oldest first), as `opzenix audit export` writes.
export function toJsonLines(rows: AuditEntry[]): string {
  const ordered = [...rows].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return ordered.map((r) => JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, r[c]])))).join('\n') + (ordered.length ? '\n' : '');
}

export interface Collected {
  rows: AuditEntry[];
  truncated: boolean; // more rows matched than the cap
}

// Follows next_cursor until the end or `cap` rows.
export async function collectAll(fetchPage: (cursor?: string) => Promise<Page<AuditEntry>>, cap = EXPORT_CAP): Promise<Collected> {
  const rows: AuditEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    rows.push(...page.items);
    if (rows.length >= cap) return { rows: rows.slice(0, cap), truncated: rows.length > cap || page.next_cursor !== null };
    if (!page.next_cursor) return { rows, truncated: false };
    cursor = page.next_cursor;
  }
}

// "audit-2026-12-05T14-30-00.csv": sortable, no characters file systems dislike.
export function exportFileName(format: 'csv' | 'json', now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `audit-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}`;
}
