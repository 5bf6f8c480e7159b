// Branch → environment rules (docs/webhooks.md "Branch mapping"):
//   GET /api/v1/branch-mappings                    the global defaults
//   GET|PUT|DELETE /api/v1/projects/{id}/branch-mappings
//   GET /api/v1/branch-mappings/resolve?project=&ref=[&sha=]
import { del, get, put } from '../api/client';

export interface MappingRule {
  id?: string | null;
  position?: number;
  pattern: string;
  ref_type: 'branch' | 'tag';
  environment: string;
  deployable: boolean;
  image_tag_template: string;
  replicas: number;
}

export interface Mappings {
  project_id: string | null;
  source: 'project' | 'global';
  rules: MappingRule[];
  created_environments?: string[];
}

export interface Resolution {
  ref: string;
  ref_type: 'branch' | 'tag' | 'other';
  short_name: string;
  source: string;
  matched: boolean;
  rule_index: number | null;
  rule: MappingRule | null;
  environment: string | null;
  deployable: boolean;
  ci_only: boolean;
  image_tag?: string | null;
  image_tag_error?: string;
  explanation: string;
}

export const mappingsKey = (projectId: string) => ['branch-mappings', projectId] as const;

const projectPath = (id: string) => `/api/v1/projects/${encodeURIComponent(id)}/branch-mappings`;

// projectId '' = the global defaults.
export const fetchMappings = (projectId: string) => get<Mappings>(projectId ? projectPath(projectId) : '/api/v1/branch-mappings');

// Only the fields the server reads (it refuses unknown keys).
export function ruleBody(r: MappingRule) {
  return {
    pattern: r.pattern.trim(),
    ref_type: r.ref_type,
    environment: r.environment.trim(),
    deployable: r.deployable,
    image_tag_template: r.image_tag_template.trim() || '{sha7}',
    replicas: r.replicas,
  };
}

export const saveMappings = (projectId: string, rules: MappingRule[]) => put<Mappings>(projectPath(projectId), { rules: rules.map(ruleBody) });
export const applyPreset = (projectId: string, preset: 'gitops' | 'default') => put<Mappings>(projectPath(projectId), { preset });
export const resetMappings = (projectId: string) => del<Mappings>(projectPath(projectId));

// What the tester sends as `ref`: a full ref is kept; a short name becomes a
// branch (refs/heads/…) or, when asked, a tag (refs/tags/…). Pure.
export function normalizeRef(text: string, kind: 'branch' | 'tag'): string {
  const t = text.trim();
  if (!t || t.startsWith('refs/')) return t;
  return (kind === 'tag' ? 'refs/tags/' : 'refs/heads/') + t;
}

export const resolveRef = (projectId: string, ref: string, sha?: string) =>
  get<Resolution>('/api/v1/branch-mappings/resolve', { project: projectId || undefined, ref, sha: sha || undefined });

// A rule in one line: "release/* (branch) → PreProd ×2, preprod-{sha7}".
export function ruleText(r: MappingRule): string {
  const ci = r.deployable ? '' : ', CI only';
  return `${r.pattern} (${r.ref_type}) → ${r.environment} ×${r.replicas}, ${r.image_tag_template}${ci}`;
}

// Editing helpers (pure): move a rule up or down, replace one, remove one.
export function moveRule(rules: MappingRule[], index: number, by: -1 | 1): MappingRule[] {
  const to = index + by;
  if (index < 0 || index >= rules.length || to < 0 || to >= rules.length) return rules;
  const next = [...rules];
  const [r] = next.splice(index, 1);
  next.splice(to, 0, r!);
  return next;
}

export function replaceRule(rules: MappingRule[], index: number, patch: Partial<MappingRule>): MappingRule[] {
  return rules.map((r, i) => (i === index ? { ...r, ...patch } : r));
}

export const NEW_RULE: MappingRule = { pattern: '', ref_type: 'branch', environment: 'Development', deployable: true, image_tag_template: '{sha7}', replicas: 1 };
