// The template library (GET /api/v1/pipeline-templates, filters category,
// flow_type, q, tag; POST .../{id}/use counts a use and answers the
// template) and the saved flow templates (GET /api/v1/flow-templates).
import { del, get, post } from '../api/client';
import type { FlowTemplate } from '../builder/api';

export interface PipelineTemplate {
  id: string;
  name: string;
  description: string | null;
  category: string;
  flow_type: string;
  tags: string[];
  popularity: number;
  nodes: unknown;
  edges: unknown;
  created_at: string;
  updated_at: string;
}

export interface TemplateFilters {
  flowType: string;
  category: string;
  tag: string;
  q: string;
}

export const pipelineTemplatesKey = ['pipeline-templates'] as const;

export function listPipelineTemplates(f: TemplateFilters): Promise<{ items: PipelineTemplate[] }> {
  return get<{ items: PipelineTemplate[] }>('/api/v1/pipeline-templates', { flow_type: f.flowType, category: f.category, tag: f.tag, q: f.q });
}

export function getPipelineTemplate(id: string): Promise<PipelineTemplate> {
  return get<PipelineTemplate>(`/api/v1/pipeline-templates/${encodeURIComponent(id)}`);
}

export function markTemplateUsed(id: string): Promise<PipelineTemplate> {
  return post<PipelineTemplate>(`/api/v1/pipeline-templates/${encodeURIComponent(id)}/use`);
}

export function listFlowTemplates(): Promise<{ items: FlowTemplate[] }> {
  return get<{ items: FlowTemplate[] }>('/api/v1/flow-templates', { limit: 200 });
}

export function deleteFlowTemplate(id: string): Promise<unknown> {
  return del(`/api/v1/flow-templates/${encodeURIComponent(id)}`);
}
