// An environment's non-secret variables (docs/api.md): GET/PUT
// /api/v1/projects/{id}/environments/{name}/config, and the KEY=value text
// they are edited as (one per line, split at the first "="; blank lines and
// lines starting with # are skipped). Pure apart from the two calls.
import { get, put } from '../api/client';

export interface EnvironmentConfig {
  project_id: string;
  environment: string;
  variables: Record<string, string | number | boolean>;
  updated_at: string | null;
  updated_by: string | null;
}

const path = (projectId: string, env: string) =>
  `/api/v1/projects/${encodeURIComponent(projectId)}/environments/${encodeURIComponent(env)}/config`;

export const envConfigKey = (projectId: string, env: string) => ['environments', projectId, 'config', env] as const;
export const fetchEnvConfig = (projectId: string, env: string) => get<EnvironmentConfig>(path(projectId, env));
export const saveEnvConfig = (projectId: string, env: string, variables: Record<string, string>) =>
  put<EnvironmentConfig>(path(projectId, env), { variables });

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_VARIABLES = 200;

// The variables as KEY=value lines, by name.
export function variablesToText(vars: Record<string, string | number | boolean>): string {
  return Object.keys(vars)
    .sort()
    .map((k) => `${k}=${String(vars[k])}`)
    .join('\n');
}

export type Parsed = { ok: true; variables: Record<string, string> } | { ok: false; error: string };

export function textToVariables(text: string): Parsed {
  const variables: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const at = `Line ${i + 1}`;
    const eq = line.indexOf('=');
    if (eq < 0) return { ok: false, error: `${at}: write KEY=value` };
    const key = line.slice(0, eq).trim();
    if (!VARIABLE_NAME.test(key)) return { ok: false, error: `${at}: “${key}” is not a variable name (letters, digits and _, not starting with a digit)` };
    if (key.length > 128) return { ok: false, error: `${at}: the name is over 128 characters` };
    if (key.startsWith('OPZENIX_')) return { ok: false, error: `${at}: names starting with OPZENIX_ are reserved` };
    if (key in variables) return { ok: false, error: `${at}: ${key} is set twice` };
    variables[key] = line.slice(eq + 1);
  }
  if (Object.keys(variables).length > MAX_VARIABLES) return { ok: false, error: `At most ${MAX_VARIABLES} variables` };
  return { ok: true, variables };
}

// environment_config.manage: operators and admins.
export function envConfigRefusal(role: string): string | null {
  return role === 'admin' || role === 'operator' ? null : 'Only operators and admins can change an environment’s variables';
}
