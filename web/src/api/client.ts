// The one way the app talks to the server: JSON over fetch with the session's
// bearer token. Errors become ApiError with the server's message, the field it
// names and the request id, so pages can say what failed and what to do.
import { clearSession, currentToken } from '../auth/session';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly requestId?: string;
  constructor(status: number, message: string, code: string, field?: string, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.requestId = requestId;
  }
}

type ErrorBody = { error?: { code?: string; message?: string; field?: string } | string; message?: string };

async function toError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('X-Request-Id') ?? undefined;
  let message = `${res.status} ${res.statusText}`;
  let code = 'http_' + res.status;
  let field: string | undefined;
  try {
    const body = (await res.json()) as ErrorBody;
    if (typeof body.error === 'object' && body.error) {
      message = body.error.message ?? message;
      code = body.error.code ?? code;
      field = body.error.field;
    } else if (typeof body.error === 'string') {
      message = body.message ?? body.error;
    }
  } catch {
    /* not JSON: keep the status line */
  }
  return new ApiError(res.status, message, code, field, requestId);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

// Called when the server says the session is gone (401): the shell shows the
// login page with "your session expired".
let onExpired: (() => void) | undefined;
export function onSessionExpired(f: () => void): void {
  onExpired = f;
}

export async function api<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = currentToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(withQuery(path, query), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && token) {
    clearSession();
    onExpired?.();
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, undefined, query);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body ?? {});
export const del = <T>(path: string) => api<T>('DELETE', path);
