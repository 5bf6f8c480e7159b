// The executions list's filters live in the URL (links carry them):
//   ?status=failed&environment=Production&branch=main&project=<id>&trigger=push
// The project falls back to the top bar's project scope when the URL has
// none. Pure.
import type { Query } from '../api/client';

export interface ExecutionFilters {
  status: string;
  environment: string;
  branch: string;
  project: string;
  trigger: string;
}

export const FILTER_KEYS: (keyof ExecutionFilters)[] = ['status', 'environment', 'branch', 'project', 'trigger'];

export const STATUSES = ['running', 'paused', 'idle', 'success', 'warning', 'failed', 'cancelled'];
export const ENVIRONMENTS = ['Development', 'Staging', 'PreProd', 'Production'];
export const TRIGGERS = ['push', 'pull_request', 'tag', 'release', 'manual', 'api', 'cli', 'poll', 'rerun', 'replay', 'rollback', 'promotion'];

export function filtersFromParams(params: URLSearchParams, projectScope = ''): ExecutionFilters {
  const read = (k: string) => params.get(k)?.trim() ?? '';
  return {
    status: read('status'),
    environment: read('environment'),
    branch: read('branch'),
    project: params.has('project') ? read('project') : projectScope,
    trigger: read('trigger'),
  };
}

// The URL after changing one filter ('' removes it; other params are kept).
export function withFilter(params: URLSearchParams, key: keyof ExecutionFilters, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const v = value.trim();
  if (v) next.set(key, v);
  else if (key === 'project') next.set('project', ''); // "all projects" even when the scope names one
  else next.delete(key);
  return next;
}

export function clearedFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  FILTER_KEYS.forEach((k) => next.delete(k));
  next.set('project', '');
  return next;
}

export function isFiltered(f: ExecutionFilters): boolean {
  return FILTER_KEYS.some((k) => f[k] !== '');
}

// GET /api/v1/executions's query for these filters.
export function apiQuery(f: ExecutionFilters, cursor?: string, limit = 50): Query {
  return {
    status: f.status,
    environment: f.environment,
    branch: f.branch,
    project_id: f.project,
    trigger_type: f.trigger,
    cursor,
    limit,
  };
}
