// The agents page's server calls. The list refetches every 5 s (no event
// stream topic carries agents); TanStack Query pauses the interval while the
// tab is hidden (refetchIntervalInBackground is off). The lease timeout comes
// from GET /api/v1/config, which only admins may read.
import { queryOptions } from '@tanstack/react-query';
import { del, get, post } from '../api/client';
import type { Page } from '../api/types';
import { leaseTimeoutFrom } from './status';
import type { Agent, RegistrationToken } from './types';

export const agentsKey = ['agents'] as const;
export const AGENTS_REFRESH_MS = 5_000;

export const agentsQuery = queryOptions({
  queryKey: [...agentsKey, 'list'],
  queryFn: () => get<Page<Agent>>('/api/v1/agents'),
  refetchInterval: AGENTS_REFRESH_MS,
  refetchIntervalInBackground: false,
  staleTime: 0,
});

export function leaseTimeoutQuery(isAdmin: boolean) {
  return queryOptions({
    queryKey: ['config', 'agent-lease-timeout', isAdmin],
    queryFn: async () => leaseTimeoutFrom(isAdmin ? await get<Record<string, unknown>>('/api/v1/config') : undefined),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export const createRegistrationToken = () => post<RegistrationToken>('/api/v1/agents/registration-tokens');

export const disableAgent = (id: string) => del<{ id: string; status: string }>(`/api/v1/agents/${encodeURIComponent(id)}`);
