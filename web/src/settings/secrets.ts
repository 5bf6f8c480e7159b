// Secrets (docs/api.md "Secrets and environment configuration"): a project's
// GET/PUT/DELETE /api/v1/projects/{id}/secrets[/{NAME}], the global ones at
// /api/v1/secrets[/{NAME}]. No answer ever holds a value; the UI only sends
// one. The name rule mirrors the server's so a typo is caught before the
// request (the server stays the judge).
import { del, get, put } from '../api/client';
import { GLOBAL } from './projectChoice';

export interface SecretItem {
  name: string;
  environment: string | null; // null: project-wide (or global)
  scope: 'global' | 'project' | 'environment';
  updated_at: string;
  updated_by: string | null;
}

export const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const MAX_SECRET_BYTES = 64 * 1024;

// Why the server would refuse this name, or null when it is fine.
export function secretNameProblem(name: string): string | null {
  if (!name) return 'Give the name first';
  if (name.length > 128) return 'At most 128 characters';
  if (!SECRET_NAME.test(name)) return 'Capital letters, digits and _ only, not starting with a digit (e.g. DEPLOY_TOKEN)';
  if (name.startsWith('OPZENIX_')) return 'Names starting with OPZENIX_ are reserved';
  return null;
}

export function secretValueProblem(value: string): string | null {
  if (!value) return 'Give the value';
  if (new TextEncoder().encode(value).length > MAX_SECRET_BYTES) return 'At most 64 KiB';
  if (value.includes('\0')) return 'The value cannot hold a NUL character';
  return null;
}

// Where a secret applies, in words.
export function secretScopeWords(s: Pick<SecretItem, 'scope' | 'environment'>): string {
  if (s.scope === 'global') return 'Every project';
  return s.environment ? `${s.environment} only` : 'Every environment';
}

export const secretsKey = (projectId: string) => ['secrets', projectId] as const;

const base = (projectId: string) => (projectId === GLOBAL ? '/api/v1/secrets' : `/api/v1/projects/${encodeURIComponent(projectId)}/secrets`);

export const fetchSecrets = (projectId: string) => get<{ items: SecretItem[] }>(base(projectId)).then((r) => r.items);

export function setSecret(projectId: string, name: string, value: string, environment: string | null) {
  const body: { value: string; environment?: string } = { value };
  if (environment && projectId !== GLOBAL) body.environment = environment;
  return put<SecretItem>(`${base(projectId)}/${encodeURIComponent(name)}`, body);
}

export function deleteSecret(projectId: string, name: string, environment: string | null) {
  const q = environment && projectId !== GLOBAL ? `?environment=${encodeURIComponent(environment)}` : '';
  return del<void>(`${base(projectId)}/${encodeURIComponent(name)}${q}`);
}

// Who may set and delete here (secrets.manage: operators and admins;
// global ones: secrets.manage_global, admins), or null when allowed.
export function secretsRefusal(role: string, projectId: string): string | null {
  if (projectId === GLOBAL) return role === 'admin' ? null : 'Only admins can set or delete global secrets';
  return role === 'admin' || role === 'operator' ? null : 'Only operators and admins can set or delete secrets';
}
