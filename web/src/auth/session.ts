// The signed-in session: the bearer token from POST /api/v1/auth/login and
// who it belongs to, kept in localStorage so a reload stays signed in. The
// server also sets an HttpOnly cookie for the event stream.
export type Role = 'admin' | 'operator' | 'viewer' | string;

export interface SessionUser {
  id: string;
  email: string;
  full_name?: string;
  role: Role;
}

export interface Session {
  token: string;
  expires_at: string;
  user: SessionUser;
}

const KEY = 'opzenix.session';
type Listener = (s: Session | null) => void;
const listeners = new Set<Listener>();

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

export function currentSession(): Session | null {
  return read();
}

export function currentToken(): string | null {
  return read()?.token ?? null;
}

export function saveSession(s: Session): void {
  localStorage.setItem(KEY, JSON.stringify(s));
  listeners.forEach((l) => l(s));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
  listeners.forEach((l) => l(null));
}

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
