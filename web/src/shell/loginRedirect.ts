// Where the login page sends you back to, and how a page asks for it.
// `next` is only ever a path inside the app (never another origin).
export function loginPath(next: string, expired = false): string {
  const params = new URLSearchParams();
  if (next && next !== '/') params.set('next', next);
  if (expired) params.set('expired', '1');
  const q = params.toString();
  return q ? `/login?${q}` : '/login';
}

export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/login')) return '/';
  return next;
}
