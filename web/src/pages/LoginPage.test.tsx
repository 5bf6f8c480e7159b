import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentSession } from '../auth/session';
import { LoginPage } from './LoginPage';

function renderAt(url: string) {
  const router = createMemoryRouter(
    [
      { path: '/login', element: <LoginPage /> },
      { path: '*', element: <p>landed</p> },
    ],
    { initialEntries: [url] },
  );
  render(<RouterProvider router={router} />);
  return router;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function fill(email: string, password: string) {
  fireEvent.change(screen.getByTestId('login-email'), { target: { value: email } });
  fireEvent.change(screen.getByTestId('login-password'), { target: { value: password } });
  fireEvent.click(screen.getByTestId('login-submit'));
}

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('LoginPage', () => {
  it('has an email input, a password input and a submit button, with labels', () => {
    renderAt('/login');
    expect(screen.getByLabelText('Email').getAttribute('type')).toBe('email');
    expect(screen.getByLabelText('Password').getAttribute('type')).toBe('password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('signs in, saves the session and goes to `next`', async () => {
    const fetchMock = vi.fn().mockResolvedValue(
      answer(200, {
        token: 'opzs_1',
        token_type: 'Bearer',
        expires_at: '2999-01-01T00:00:00Z',
        user: { id: 'u1', email: 'ana@x.io', role: 'operator' },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const router = renderAt('/login?next=%2Fexecutions%3Fstatus%3Dfailed');
    fill(' ana@x.io ', 'pw-12345678');
    await screen.findByText('landed');
    expect(router.state.location.pathname + router.state.location.search).toBe('/executions?status=failed');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/auth/login');
    expect(JSON.parse(init.body)).toEqual({ email: 'ana@x.io', password: 'pw-12345678' });
    expect(currentSession()?.token).toBe('opzs_1');
  });

  it('says wrong credentials in words and stays', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(answer(401, { error: { code: 'unauthorized', message: 'invalid email or password' } })));
    renderAt('/login');
    fill('ana@x.io', 'nope');
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong email or password.');
    expect(currentSession()).toBeNull();
  });

  it('says when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    renderAt('/login');
    fill('ana@x.io', 'pw');
    expect((await screen.findByRole('alert')).textContent).toMatch(/could not be reached/);
  });

  it('explains an expired session, and never sends you to another site', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(answer(200, { token: 't', token_type: 'Bearer', expires_at: '2999-01-01T00:00:00Z', user: { id: 'u', email: 'a@x.io', role: 'viewer' } })),
    );
    const router = renderAt('/login?next=%2F%2Fevil.example&expired=1');
    expect(screen.getByRole('status').textContent).toMatch(/session expired/);
    fill('a@x.io', 'pw');
    await screen.findByText('landed');
    expect(router.state.location.pathname).toBe('/');
  });
});
