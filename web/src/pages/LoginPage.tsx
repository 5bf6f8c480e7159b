// Sign in: email and password → POST /api/v1/auth/login → the session, then
// back to `next` (or the dashboard). Errors in words: wrong credentials,
// server unreachable, anything else with its request id.
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, post } from '../api/client';
import { saveSession, type Session } from '../auth/session';
import { safeNext } from '../shell/loginRedirect';
import { useSession } from '../shell/useSession';
import { Button } from '../ui/Button';

interface LoginAnswer extends Session {
  token_type: string;
}

export function loginErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Wrong email or password.';
    if (error.status === 422) return error.message;
    if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
    const id = error.requestId ? ` (request id ${error.requestId})` : '';
    return `The server could not sign you in: ${error.message}${id}`;
  }
  return 'The server could not be reached. Check that Opzenix is running and try again.';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const expired = params.get('expired') === '1';
  const session = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session && !busy) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await post<LoginAnswer>('/api/v1/auth/login', { email: email.trim(), password });
      saveSession({ token: answer.token, expires_at: answer.expires_at, user: answer.user });
      navigate(next, { replace: true });
    } catch (err) {
      setError(loginErrorText(err));
      setBusy(false);
    }
  };

  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title" className="flex w-96 flex-col gap-4 rounded-lg border border-border bg-surface p-6 shadow-sm">
        <div>
          <h1 id="login-title" className="text-xl font-semibold">
            Sign in to Opzenix
          </h1>
          {expired && !error && (
            <p role="status" className="mt-2 rounded border border-wait/40 bg-wait/10 p-2 text-sm text-wait">
              Your session expired. Sign in again to continue where you were.
            </p>
          )}
        </div>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Email
          <input
            data-testid="login-email"
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            className="rounded border border-border bg-surface-2 px-2 py-1.5 font-normal"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Password
          <input
            data-testid="login-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className="rounded border border-border bg-surface-2 px-2 py-1.5 font-normal"
          />
        </label>
        {error && (
          <p role="alert" data-testid="login-error" className="text-sm text-bad">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" data-testid="login-submit" disabled={busy} reason={busy ? 'Signing in…' : undefined}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
