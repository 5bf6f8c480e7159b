// The audit log's filters live in the URL (links carry them):
//   /audit?user=<id>&action=user.created&resource_type=project&resource_id=<id>
//          &from=2026-12-01T00:00:00.000Z&to=2026-12-05T23:59:00.000Z
// Times are ISO 8601 in UTC in the URL and in the API; the inputs show them
// as local times (datetime-local). Pure.
import type { Query } from '../api/client';

export interface AuditFilters {
  user: string;
  action: string;
  resourceType: string;
  resourceId: string;
  from: string; // ISO 8601 or ''
  to: string;
}

// Filter name → URL parameter.
export const FILTER_PARAMS: Record<keyof AuditFilters, string> = {
  user: 'user',
  action: 'action',
  resourceType: 'resource_type',
  resourceId: 'resource_id',
  from: 'from',
  to: 'to',
};

const KEYS = Object.keys(FILTER_PARAMS) as (keyof AuditFilters)[];

function validIso(text: string): string {
  return text && Number.isFinite(Date.parse(text)) ? text : '';
}

export function filtersFromParams(params: URLSearchParams): AuditFilters {
  const read = (k: keyof AuditFilters) => params.get(FILTER_PARAMS[k])?.trim() ?? '';
  return {
    user: read('user'),
    action: read('action'),
    resourceType: read('resourceType'),
    resourceId: read('resourceId'),
    from: validIso(read('from')),
    to: validIso(read('to')),
  };
}

// The URL after changing one filter ('' removes it; other params are kept).
export function withFilter(params: URLSearchParams, key: keyof AuditFilters, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const v = value.trim();
  if (v) next.set(FILTER_PARAMS[key], v);
  else next.delete(FILTER_PARAMS[key]);
  return next;
}

export function clearedFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  KEYS.forEach((k) => next.delete(FILTER_PARAMS[k]));
  return next;
}

export function isFiltered(f: AuditFilters): boolean {
  return KEYS.some((k) => f[k] !== '');
}

// GET /api/v1/audit-logs's query. Non-admins never send `user_id`: the
// server shows them their own entries and refuses anyone else's.
export function apiQuery(f: AuditFilters, isAdmin: boolean, cursor?: string, limit = 50): Query {
  return {
    user_id: isAdmin ? f.user : undefined,
    action: f.action,
    resource_type: f.resourceType,
    resource_id: f.resourceId,
    from: f.from,
    to: f.to,
    cursor,
    limit,
  };
}

// datetime-local ("2026-12-05T14:30", the browser's zone) ⇄ ISO 8601 UTC.
export function localInputToIso(local: string): string {
  if (!local) return '';
  const t = new Date(local).getTime();
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
}

export function isoToLocalInput(iso: string): string {
  const t = Date.parse(iso);
  if (!iso || !Number.isFinite(t)) return '';
  const d = new Date(t);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
