// Query keys and fetchers the shell shares with pages (one cache entry each).
import { get } from '../api/client';
import type { DashboardMetrics, Page, Project } from '../api/types';
import type { Topic } from '../realtime/types';

export interface EmergencyStop {
  active: boolean;
  id: string | null;
  reason: string | null;
  by: string | null;
  since: string | null;
  mode: 'let_finish' | 'cancel' | null;
}

export const projectsQuery = {
  queryKey: ['projects'] as const,
  queryFn: () => get<Page<Project>>('/api/v1/projects', { limit: 500 }),
  staleTime: 60_000,
};

export const emergencyStopQuery = {
  queryKey: ['emergency-stop'] as const,
  queryFn: () => get<EmergencyStop>('/api/v1/emergency-stop'),
  refetchInterval: 60_000,
};

export const dashboardMetricsQuery = {
  queryKey: ['dashboard-metrics'] as const,
  queryFn: () => get<DashboardMetrics>('/api/v1/dashboard/metrics'),
};

// The topics the shell keeps live (the navigation's pending count, the
// notification bell). Pages that follow approvals use the same list, with a
// filter, so they share the shell's one event-stream connection.
export const SHELL_LIVE_TOPICS: Topic[] = ['approvals', 'notifications'];
