import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserRow } from './UserRow';
import type { User } from './users';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ana: User = { id: 'u2', email: 'ana@x.io', full_name: 'Ana', role: 'viewer', created_at: '2026-12-01T00:00:00Z' };
const me: User = { id: 'a1', email: 'admin@x.io', full_name: '', role: 'admin', created_at: '2026-12-01T00:00:00Z' };

function renderRow(user: User) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <table>
        <tbody>
          <UserRow user={user} actorId="a1" actorRole="admin" />
        </tbody>
      </table>
    </QueryClientProvider>,
  );
}

describe('UserRow', () => {
  it('disables your own role with the reason', () => {
    renderRow(me);
    const select = screen.getByRole('combobox', { name: 'Role of admin@x.io' });
    expect(select).toHaveProperty('disabled', true);
    const reason = document.getElementById(select.getAttribute('aria-describedby')!);
    expect(reason?.textContent).toMatch(/cannot change your own role/);
  });

  it('sends a role change for another user and says what happened', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ...ana, role: 'operator' }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    renderRow(ana);
    fireEvent.change(screen.getByRole('combobox', { name: 'Role of ana@x.io' }), { target: { value: 'operator' } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('ana@x.io promoted from viewer to operator.'));
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/users/u2/role');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(String(init.body))).toEqual({ role: 'operator' });
  });

  it('shows the server refusing the change', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: { code: 'conflict', message: 'an admin cannot demote themselves; ask another admin' } }), { status: 409 })));
    renderRow(ana);
    fireEvent.change(screen.getByRole('combobox', { name: 'Role of ana@x.io' }), { target: { value: 'admin' } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('ask another admin'));
  });
});
