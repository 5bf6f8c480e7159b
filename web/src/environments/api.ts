// The environments page's server calls and their query keys (docs/api.md).
// Keys start with 'environments' or 'deployments' so a page can refresh
// everything of one kind when the event stream says it changed.
import { del, get, post, put } from '../api/client';
import type { Execution, Page } from '../api/types';
import type { DeploymentAction, DeploymentDetail } from '../deployments/types';
import type { DeployHold, Environment, HistoryItem, Lifecycle } from './types';

const project = (id: string) => `/api/v1/projects/${encodeURIComponent(id)}`;
const environment = (projectId: string, name: string) => `${project(projectId)}/environments/${encodeURIComponent(name)}`;

export const envKeys = {
  all: ['environments'] as const,
  list: (projectId: string) => ['environments', projectId] as const,
  queues: (projectId: string) => ['environment-queues', projectId] as const,
  queue: (projectId: string, name: string) => ['environment-queues', projectId, name] as const,
  lifecycle: (projectId: string) => ['environments', projectId, 'lifecycle'] as const,
};

export const deployKeys = {
  all: ['deployments'] as const,
  history: (projectId: string, name: string) => ['deployments', 'history', projectId, name] as const,
  holds: (projectId: string) => ['deployments', 'holds', projectId] as const,
  detail: (id: string) => ['deployments', 'detail', id] as const,
};

export const fetchEnvironments = (projectId: string) =>
  get<{ items: Environment[] }>(`${project(projectId)}/environments`).then((r) => r.items);

export const fetchHistory = (projectId: string, name: string) =>
  get<Page<HistoryItem>>(`${environment(projectId, name)}/history`, { limit: 50 }).then((r) => r.items);

// The project's active holds, newest first (one request for every card;
// GET …/environments/{name}/hold answers 404 when there is none, which the
// browser would log as an error).
export const fetchActiveHolds = (projectId: string) =>
  get<{ items: DeployHold[] }>(`${project(projectId)}/holds`, { active: 'true' }).then((r) => r.items);

export const fetchLifecycle = (projectId: string) => get<Lifecycle>(`${project(projectId)}/lifecycle`);

// Executions held for this environment (the deploy queue, approvals, freezes, ...), oldest first.
export const fetchQueue = (projectId: string, name: string) =>
  get<Page<Execution>>('/api/v1/executions', { project_id: projectId, environment: name, status: 'paused', limit: 50 }).then((r) =>
    [...r.items].reverse(),
  );

export const fetchDeployment = (id: string) => get<DeploymentDetail>(`/api/v1/deployments/${encodeURIComponent(id)}`);

export const lockEnvironment = (projectId: string, name: string, reason: string) =>
  put<Environment>(`${environment(projectId, name)}/lock`, { reason });
export const unlockEnvironment = (projectId: string, name: string) => del<Environment>(`${environment(projectId, name)}/lock`);
export const releaseHold = (projectId: string, name: string) => del<DeployHold>(`${environment(projectId, name)}/hold`);

export const rollback = (projectId: string, envName: string, deploymentId: string, reason: string) =>
  post<DeploymentAction>('/api/v1/deployments/rollback', {
    deployment_id: deploymentId,
    environment: envName,
    reason,
    project_id: projectId,
  });

export const promote = (deploymentId: string, toEnvironment: string, reason?: string) =>
  post<DeploymentAction>(`/api/v1/deployments/${encodeURIComponent(deploymentId)}/promote`, {
    to_environment: toEnvironment,
    ...(reason ? { reason } : {}),
  });
