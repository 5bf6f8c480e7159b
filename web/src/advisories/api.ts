// Advisories and their rules (docs/api.md "Telemetry, advisories and DORA"):
//   GET /api/v1/projects/{id}/advisories          the project's advisories, newest first
//   GET /api/v1/advisory-rules[?project_id=]      the rules' settings in force
//   PUT /api/v1/advisory-rules/{rule}             (admins) override, globally or per project
import { get, put } from '../api/client';

export type Severity = 'info' | 'warning' | 'critical';

export interface Advisory {
  id: string;
  project_id: string;
  rule: string;
  severity: Severity | string;
  title: string;
  message: string;
  observed: number | null;
  threshold: number | null;
  status: 'open' | 'resolved' | string;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
}

export interface AdvisoryRule {
  rule: string;
  threshold: number;
  window_seconds: number;
  severity: Severity | string;
  enabled: boolean;
  source: 'default' | 'global' | 'project' | string;
  input: 'deployments' | 'executions' | 'metric' | string;
  metric: string | null;
  aggregate: string | null;
  comparison: 'above' | 'below' | string;
  unit: string;
  title: string;
}

// Only the fields given change; null goes back to inheriting.
export interface RuleChange {
  threshold?: number | null;
  window_seconds?: number | null;
  severity?: string | null;
  enabled?: boolean | null;
  project_id?: string;
}

export const advisoryKeys = {
  all: ['advisories'] as const,
  project: (projectId: string) => ['advisories', 'project', projectId] as const,
  rules: (projectId: string) => ['advisories', 'rules', projectId] as const,
};

export const fetchAdvisories = (projectId: string) =>
  get<{ items: Advisory[] }>(`/api/v1/projects/${encodeURIComponent(projectId)}/advisories`);

// projectId "" = the global settings.
export const fetchRules = (projectId: string) =>
  get<{ items: AdvisoryRule[] }>('/api/v1/advisory-rules', { project_id: projectId || undefined });

export const updateRule = (rule: string, change: RuleChange) =>
  put<AdvisoryRule>(`/api/v1/advisory-rules/${encodeURIComponent(rule)}`, change);
