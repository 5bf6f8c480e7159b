import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSession, saveSession } from '../auth/session';
import { AgentsPage } from './AgentsPage';
import type { Agent } from './types';

afterEach(() => {
  cleanup();
  clearSession();
  vi.unstubAllGlobals();
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const recent = (s: number) => new Date(Date.now() - s * 1000).toISOString();

function agent(over: Partial<Agent>): Agent {
  return { id: 'a1', name: 'gpu-1', labels: ['linux', 'gpu'], concurrency: 2, status: 'online', version: '0.1.0', created_at: recent(3600), last_seen_at: recent(2), running_jobs: 1, ...over };
}

function signIn(role: string) {
  saveSession({ token: 't', expires_at: new Date(Date.now() + 3600_000).toISOString(), user: { id: 'u1', email: 'x@example.com', role } });
}

// Serves GET /api/v1/agents from `agents`, the config, and records the rest.
function serve(agents: Agent[], calls: string[] = []) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push(`${init.method} ${url}`);
      if (url === '/api/v1/config') return json({ 'agent-lease-timeout': '20s' });
      if (init.method === 'POST') return json({ token: 'opzr_the-secret', expires_at: recent(-86400) }, 201);
      if (init.method === 'DELETE') {
        agents = agents.map((a) => ({ ...a, status: 'disabled' }));
        return json({ id: 'a1', status: 'disabled' });
      }
      return json({ items: agents, next_cursor: null });
    }),
  );
  return calls;
}

function Where() {
  const loc = useLocation();
  return <output data-testid="where">{loc.search}</output>;
}

function show(path = '/agents') {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route
            path="/agents"
            element={
              <>
                <AgentsPage />
                <Where />
              </>
            }
          />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('AgentsPage', () => {
  it('lists agents with labels, status and why, capacity; filters live in the URL', async () => {
    signIn('admin');
    serve([agent({}), agent({ id: 'a2', name: 'old-box', labels: ['linux'], status: 'lost', last_seen_at: recent(52), running_jobs: 0 })]);
    show('/agents?label=gpu');
    const row = await screen.findByRole('row', { name: 'gpu-1, online' });
    expect(within(row).getAllByTestId('agent-label').map((l) => l.textContent)).toEqual(['linux', 'gpu']);
    expect(within(row).getByTestId('agent-capacity').textContent).toBe('1 of 2 used, 1 free');
    expect(screen.queryByRole('row', { name: 'old-box, lost' })).toBeNull(); // filtered out: no gpu label

    fireEvent.click(screen.getByRole('button', { name: 'gpu', pressed: true }));
    const lost = await screen.findByRole('row', { name: 'old-box, lost' });
    await waitFor(() => expect(within(lost).getByTestId('agent-status-why').textContent).toMatch(/^no heartbeat for 5[23] s, lease timeout 20 s;/));
    expect(screen.getByTestId('where').textContent).toBe('');

    fireEvent.change(screen.getByTestId('agent-filter-status'), { target: { value: 'lost' } });
    expect(screen.getByTestId('where').textContent).toBe('?status=lost');
    expect(screen.getAllByTestId('agent-row').map((r) => r.getAttribute('data-agent-name'))).toEqual(['old-box']);
  });

  it('disables an agent after a confirmation that says what stops', async () => {
    signIn('admin');
    const calls = serve([agent({})]);
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Disable gpu-1' }));
    const dialog = screen.getByTestId('agent-disable-dialog');
    expect(dialog.textContent).toContain('Its 1 running job is lost');
    fireEvent.click(within(dialog).getByTestId('agent-disable-confirm'));
    await screen.findByRole('row', { name: 'gpu-1, disabled' });
    expect(calls).toContain('DELETE /api/v1/agents/a1');
    expect(screen.queryByTestId('agent-disable-dialog')).toBeNull();
  });

  it('a viewer sees why Disable is not theirs, and never reads the admin configuration', async () => {
    signIn('viewer');
    const calls = serve([agent({})]);
    show();
    const button = await screen.findByRole('button', { name: 'Disable gpu-1' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.getAttribute('title')).toBe('Only admins can disable agents');
    fireEvent.click(button);
    expect(screen.queryByTestId('agent-disable-dialog')).toBeNull();
    expect(calls.some((c) => c.includes('/api/v1/config'))).toBe(false);
    expect(screen.getByTestId('agent-status-why').textContent).toContain('unless configured otherwise');
  });

  it('with no agents: the commands, and a registration token shown once for an admin', async () => {
    signIn('admin');
    const calls = serve([]);
    show();
    await screen.findByText('No agents yet');
    expect(screen.getByTestId('agent-register-command').textContent).toContain('--registration-token opzr_…');
    fireEvent.click(screen.getByTestId('registration-token-create'));
    expect((await screen.findByTestId('registration-token-value')).textContent).toBe('opzr_the-secret');
    expect(screen.getByTestId('agent-register-command').textContent).toContain('--registration-token opzr_the-secret');
    expect(calls).toContain('POST /api/v1/agents/registration-tokens');
  });
});
