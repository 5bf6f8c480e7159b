// Connections (docs/api.md "Connections"): GET/POST /api/v1/connections,
// GET/DELETE …/{id} (with its recent checks), POST …/{id}/check. Pure
// helpers put a connection's and a check's status into the one status
// vocabulary.
import { del, get, post } from '../api/client';

export type ConnectionType = 'github' | 'registry' | 'otel' | 'http';

export interface Connection {
  id: string;
  type: ConnectionType | string;
  name: string;
  status: 'pending' | 'active' | 'degraded' | 'failed' | string;
  config: Record<string, string | number | boolean>;
  validated: boolean;
  last_validated_at: string | null;
  has_secret: boolean;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConnectionCheck {
  connection_id: string;
  status: 'healthy' | 'degraded' | 'unhealthy' | string;
  response_time_ms: number | null;
  message?: string;
  checked_at: string;
}

export interface NewConnection {
  type: ConnectionType;
  name: string;
  config: Record<string, string>;
  secret?: string;
}

export const CONNECTION_TYPES: { type: ConnectionType; label: string; hint: string }[] = [
  { type: 'http', label: 'HTTP endpoint', hint: 'GET the URL; 2xx and 3xx are healthy (the secret, if any, is sent as a bearer token)' },
  { type: 'registry', label: 'Container registry', hint: 'GET <url>/v2/ with Basic username:secret, or the secret as a bearer token' },
  { type: 'github', label: 'GitHub', hint: 'The token (secret) is checked for the repo, workflow and admin:repo_hook scopes' },
  { type: 'otel', label: 'OpenTelemetry endpoint', hint: 'POST an empty export to <url>/v1/traces' },
];

export function typeLabel(type: string): string {
  return CONNECTION_TYPES.find((t) => t.type === type)?.label ?? type;
}

export interface Look {
  status: string; // a key of ui/status.ts
  word: string;
}

// A connection's standing (pending until its first check).
export function connectionLook(status: string): Look {
  switch (status) {
    case 'active':
      return { status: 'success', word: 'Healthy' };
    case 'degraded':
      return { status: 'warning', word: 'Degraded' };
    case 'failed':
      return { status: 'failed', word: 'Unhealthy' };
    case 'pending':
      return { status: 'pending', word: 'Not checked yet' };
    default:
      return { status, word: status };
  }
}

// One check's outcome: "Healthy in 12 ms".
export function checkLook(c: Pick<ConnectionCheck, 'status' | 'response_time_ms'>): Look {
  const base = c.status === 'healthy' ? { status: 'success', word: 'Healthy' } : c.status === 'degraded' ? { status: 'warning', word: 'Degraded' } : c.status === 'unhealthy' ? { status: 'failed', word: 'Unhealthy' } : { status: c.status, word: c.status };
  return c.response_time_ms == null ? base : { ...base, word: `${base.word} in ${c.response_time_ms} ms` };
}

// connections.check: operators and admins; connections.manage: admins.
export function checkRefusal(role: string): string | null {
  return role === 'admin' || role === 'operator' ? null : 'Only operators and admins can run a check';
}
export function manageRefusal(role: string, verb: string): string | null {
  return role === 'admin' ? null : `Only admins can ${verb} connections`;
}

export const connectionsKey = ['connections'] as const;
export const connectionKey = (id: string) => ['connections', id] as const;
const path = (id: string) => `/api/v1/connections/${encodeURIComponent(id)}`;

export const fetchConnections = () => get<{ items: Connection[] }>('/api/v1/connections').then((r) => r.items);
export const fetchConnection = (id: string) => get<Connection & { recent_checks: ConnectionCheck[] }>(path(id));
export const createConnection = (c: NewConnection) => post<Connection>('/api/v1/connections', c);
export const deleteConnection = (id: string) => del<void>(path(id));
export const checkConnection = (id: string) => post<ConnectionCheck>(`${path(id)}/check`);

// The body for a new connection: empty optional fields left out.
export function newConnectionBody(type: ConnectionType, name: string, url: string, username: string, secret: string): NewConnection {
  const config: Record<string, string> = {};
  if (url.trim()) config.url = url.trim();
  if (type === 'registry' && username.trim()) config.username = username.trim();
  const body: NewConnection = { type, name: name.trim(), config };
  if (secret) body.secret = secret;
  return body;
}
