// The execution detail page's server calls (docs/api.md, executions).
import { get, post } from '../api/client';
import type { Checkpoint, Execution, ExecutionNode, Page } from '../api/types';
import type { GovernanceExplanation } from '../governance/types';

export interface DetailNode extends ExecutionNode {
  needs?: string[] | null;
}

export interface ExecutionDetail extends Execution {
  nodes: DetailNode[];
  edges?: { source: string; target: string }[] | null;
}

export const executionKeys = {
  detail: (id: string) => ['execution', id] as const,
  governance: (id: string) => ['execution', id, 'governance'] as const,
  checkpoints: (id: string) => ['execution', id, 'checkpoints'] as const,
};

const base = (id: string) => `/api/v1/executions/${encodeURIComponent(id)}`;

export const fetchExecution = (id: string) => get<ExecutionDetail>(base(id));
export const fetchGovernance = (id: string) => get<GovernanceExplanation>(`${base(id)}/governance`);
export const fetchCheckpoints = (id: string) => get<Page<Checkpoint>>(`${base(id)}/checkpoints`).then((p) => p.items);

export const cancelExecution = (id: string, reason: string) => post<Execution>(`${base(id)}/cancel`, { reason });
export const forceFailExecution = (id: string, reason: string) => post<Execution>(`${base(id)}/fail`, { reason });
export const rerunFailed = (id: string) => post<Execution>(`${base(id)}/rerun`, { failed_only: true });
export const rerunFromCheckpoint = (id: string, checkpointId: string) => post<Execution>(`${base(id)}/rerun`, { checkpoint_id: checkpointId });
