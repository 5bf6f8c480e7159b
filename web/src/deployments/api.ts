// The deployment page's server calls: the deploy node's log (hook attempts,
// canary weights, probes are logged there) and the canary controls.
import { get, post } from '../api/client';
import type { LogLine } from '../api/types';
import type { Deployment } from './types';

export const deploymentLogKey = (id: string) => ['deployments', 'log', id] as const;

const base = (id: string) => `/api/v1/deployments/${encodeURIComponent(id)}`;

export const fetchNodeLog = (executionId: string, nodeId: string) =>
  get<{ items: LogLine[] }>(`/api/v1/executions/${encodeURIComponent(executionId)}/nodes/${encodeURIComponent(nodeId)}/logs`, { tail: 2000 }).then(
    (r) => r.items,
  );

export const continueCanary = (id: string) => post<Deployment>(`${base(id)}/continue`);
export const abortCanary = (id: string, reason: string) => post<Deployment>(`${base(id)}/abort`, { reason });
