// GET /api/v1/projects/{id}/dora?window=…&environment=… : the project's four
// DORA metrics over a window for one environment, with a daily series. A
// server without the route answers 404 "no route matches this path"; the
// section then says the metrics are not available instead of failing.
import { useQuery } from '@tanstack/react-query';
import { ApiError, get } from '../api/client';

export const DORA_WINDOWS = ['7d', '30d', '90d'] as const;
export type DoraWindow = (typeof DORA_WINDOWS)[number];
export const DEFAULT_WINDOW: DoraWindow = '30d';
export const DEFAULT_ENVIRONMENT = 'Production';

export interface DoraDay {
  date: string; // YYYY-MM-DD
  deployments: number;
  failures: number;
}

export interface DoraMetrics {
  deployment_frequency: number; // deployments per day
  lead_time_seconds: number | null;
  change_failure_rate: number | null; // 0..1
  time_to_restore_seconds: number | null;
  window: string;
  environment: string;
  lead_time_basis: string; // commit_time | execution_created (| mixed, or "" with no lead time)
  series: DoraDay[];
}

export const doraKeys = {
  all: ['dora'] as const,
  metrics: (projectId: string, window: DoraWindow, environment: string) => ['dora', projectId, window, environment] as const,
};

export function parseWindow(value: string | null): DoraWindow {
  return (DORA_WINDOWS as readonly string[]).includes(value ?? '') ? (value as DoraWindow) : DEFAULT_WINDOW;
}

export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ApiError && ((error.status === 404 && /no route/i.test(error.message)) || error.status === 501);
}

export const fetchDora = (projectId: string, window: DoraWindow, environment: string) =>
  get<DoraMetrics>(`/api/v1/projects/${encodeURIComponent(projectId)}/dora`, { window, environment });

export function useDora(projectId: string, window: DoraWindow, environment: string) {
  return useQuery({
    queryKey: doraKeys.metrics(projectId, window, environment),
    queryFn: () => fetchDora(projectId, window, environment),
    enabled: Boolean(projectId),
    // A missing route stays missing: one request, one browser log line.
    retry: (failures, error) => !isMissingEndpoint(error) && failures < 1,
  });
}
