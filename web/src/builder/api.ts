// The builder's server calls: live validation of the flow template's arrays,
// saving it (POST/PUT /api/v1/flow-templates), starting a run from it
// (POST /api/v1/executions) and reading a saved one.
import { ApiError, get, post, put } from '../api/client';
import { currentToken } from '../auth/session';
import type { FlowEdge, FlowNode } from './flowTemplate';
import type { ServerProblem } from './problems';

export interface ValidationAnswer {
  valid: boolean;
  errors: ServerProblem[];
  summary?: { nodes: number; edges: number; order: string[] };
}

// 200 (valid) and 422 (invalid) both carry the report; anything else throws.
// Plain fetch: the shared client turns every 4xx into an error and would
// lose the list of problems.
export async function validateFlow(nodes: FlowNode[], edges: FlowEdge[], signal?: AbortSignal): Promise<ValidationAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch('/api/v1/pipelines/validate', { method: 'POST', headers, body: JSON.stringify({ nodes, edges }), signal });
  if (res.status !== 200 && res.status !== 422) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string; code?: string; field?: string } };
    const e = body.error ?? {};
    throw new ApiError(res.status, e.message ?? `${res.status} ${res.statusText}`, e.code ?? `http_${res.status}`, e.field, res.headers.get('X-Request-Id') ?? undefined);
  }
  const body = (await res.json()) as ValidationAnswer;
  return { valid: Boolean(body.valid), errors: body.errors ?? [], summary: body.summary };
}

export const FLOW_TYPES = ['cicd', 'mlops', 'llmops', 'infrastructure', 'security'] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

export interface FlowTemplate {
  id: string;
  project_id: string | null;
  name: string;
  description: string;
  type: FlowType | string;
  nodes: unknown;
  edges: unknown;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface FlowTemplateInput {
  name: string;
  description?: string;
  type?: string;
  project_id?: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export const flowTemplateKey = (id: string) => ['flow-template', id] as const;
export const flowTemplatesKey = ['flow-templates'] as const;

export function getFlowTemplate(id: string): Promise<FlowTemplate> {
  return get<FlowTemplate>(`/api/v1/flow-templates/${encodeURIComponent(id)}`);
}

export function saveFlowTemplate(id: string | null, body: FlowTemplateInput): Promise<FlowTemplate> {
  return id ? put<FlowTemplate>(`/api/v1/flow-templates/${encodeURIComponent(id)}`, body) : post<FlowTemplate>('/api/v1/flow-templates', body);
}

export interface StartedExecution {
  id: string;
  status?: string;
  governance_status?: string;
}

export function startFromTemplate(templateId: string, environment: string, projectId?: string): Promise<StartedExecution> {
  return post<StartedExecution>('/api/v1/executions', {
    flow_template_id: templateId,
    environment,
    ...(projectId ? { project_id: projectId } : {}),
  });
}
