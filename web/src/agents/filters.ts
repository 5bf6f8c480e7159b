// The agents page's filters live in the URL (links carry them):
//   /agents?status=lost&label=linux&label=gpu
// An agent matches when its status is the one asked for (if any) and it has
// every label asked for (as a node's runs_on selects agents). Pure.
import type { Agent } from './types';

export const STATUSES = ['online', 'lost', 'disabled'] as const;
export type StatusFilter = (typeof STATUSES)[number] | '';

export interface AgentFilters {
  status: StatusFilter;
  labels: string[];
}

export function filtersFromParams(params: URLSearchParams): AgentFilters {
  const status = params.get('status') ?? '';
  const labels = [...new Set(params.getAll('label').map((l) => l.trim()).filter(Boolean))].sort();
  return { status: (STATUSES as readonly string[]).includes(status) ? (status as StatusFilter) : '', labels };
}

export function withStatus(params: URLSearchParams, status: StatusFilter): URLSearchParams {
  const next = new URLSearchParams(params);
  if (status) next.set('status', status);
  else next.delete('status');
  return next;
}

// Adds the label when it is not filtered on, removes it when it is.
export function toggledLabel(params: URLSearchParams, label: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const current = next.getAll('label');
  next.delete('label');
  const kept = current.includes(label) ? current.filter((l) => l !== label) : [...current, label];
  kept.forEach((l) => next.append('label', l));
  return next;
}

export function clearedFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete('status');
  next.delete('label');
  return next;
}

export function isFiltered(f: AgentFilters): boolean {
  return f.status !== '' || f.labels.length > 0;
}

export function matches(agent: Pick<Agent, 'status' | 'labels'>, f: AgentFilters): boolean {
  return (!f.status || agent.status === f.status) && f.labels.every((l) => agent.labels.includes(l));
}

export function filterAgents<A extends Pick<Agent, 'status' | 'labels'>>(agents: A[], f: AgentFilters): A[] {
  return agents.filter((a) => matches(a, f));
}

// Every label some agent has, sorted, for the filter's choices (a label in the
// URL that no agent has is kept, so it can be removed).
export function labelChoices(agents: Pick<Agent, 'labels'>[], f: AgentFilters): string[] {
  return [...new Set([...agents.flatMap((a) => a.labels), ...f.labels])].sort();
}

export function statusCounts(agents: Pick<Agent, 'status'>[]): Record<string, number> {
  const out: Record<string, number> = { online: 0, lost: 0, disabled: 0 };
  for (const a of agents) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}
