// The dashboard's data: executions since the range's start (for the charts
// and the recent list) and the newest deployments (per environment).
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Execution, Page } from '../api/types';
import { executionsKey } from '../executions/queries';
import type { Deployment } from './environments';
import { RANGE_MS, type Range } from './series';

export const deploymentsKey = ['deployments'] as const;

export function useExecutionsInRange(range: Range, projectId: string) {
  return useQuery({
    queryKey: [...executionsKey, 'dashboard', range, projectId],
    queryFn: () => {
      // Minute precision keeps the request cacheable between renders.
      const since = new Date(Math.floor((Date.now() - RANGE_MS[range]) / 60_000) * 60_000).toISOString();
      return get<Page<Execution>>('/api/v1/executions', { since, project_id: projectId, limit: 500 });
    },
  });
}

export function useNewestExecutions(projectId: string, limit = 8) {
  return useQuery({
    queryKey: [...executionsKey, 'newest', projectId, limit],
    queryFn: () => get<Page<Execution>>('/api/v1/executions', { project_id: projectId, limit }),
  });
}

export function useRecentDeployments(projectId: string) {
  return useQuery({
    queryKey: [...deploymentsKey, 'dashboard', projectId],
    queryFn: () => get<Page<Deployment>>('/api/v1/deployments', { project_id: projectId, limit: 200 }),
  });
}
