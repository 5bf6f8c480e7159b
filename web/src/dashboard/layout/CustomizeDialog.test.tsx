// The dashboard's layout, end to end in the page: the sections in the saved
// order with hidden ones left out, the editor's keyboard-reachable moves, and
// what Save and "Reset to default" send to the server.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DashboardPage } from '../../pages/DashboardPage';

type Call = { method: string; url: string; body: unknown };
let calls: Call[];
let layouts: unknown[];

const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  localStorage.clear();
  calls = [];
  layouts = [];
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, url, body });
      if (url.startsWith('/api/v1/dashboard-layouts')) {
        if (method === 'GET') return json({ items: layouts });
        if (method === 'DELETE') return json(null, 204);
        return json({ id: 'l1', name: 'Dashboard', is_default: true, ...body }, method === 'POST' ? 201 : 200);
      }
      // A project chosen: DORA and insights answer as a server without them.
      if (/\/(dora|insights)\b/.test(url)) return json({ error: { code: 'not_found', message: 'no route matches this path' } }, 404);
      if (url.startsWith('/api/v1/dashboard/metrics')) return json({ active_executions: 0, success_rate_24h: null, avg_deployment_seconds: null, pending_approvals: 0 });
      return json({ items: [], next_cursor: null });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderDashboard(path = '/') {
  const router = createMemoryRouter([{ path: '/', element: <DashboardPage /> }], { initialEntries: [path] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

const shownSections = () => screen.getAllByTestId('dashboard-section').map((el) => el.getAttribute('data-section'));
const rows = () => screen.getAllByTestId('layout-row').map((el) => el.getAttribute('data-section'));
const writes = () => calls.filter((c) => c.url.startsWith('/api/v1/dashboard-layouts') && c.method !== 'GET');

describe('dashboard layout', () => {
  it('shows the saved arrangement: its order, hidden sections left out, new sections appended', async () => {
    layouts = [
      {
        id: 'l1',
        name: 'Dashboard',
        is_default: true,
        layout: { sections: [{ id: 'recent-executions', visible: true }, { id: 'metrics', visible: false }, { id: 'gone', visible: true }] },
      },
    ];
    renderDashboard();
    await waitFor(() => expect(shownSections()[0]).toBe('recent-executions'));
    expect(shownSections()).toEqual(['recent-executions', 'advisories', 'environments', 'dora', 'insights', 'charts']);
    expect(screen.queryByTestId('metric-active-executions')).toBeNull();
  });

  it('hides and moves sections with buttons, keeps focus on the moved one, and saves the shape as a new default layout', async () => {
    renderDashboard();
    await screen.findAllByTestId('dashboard-section');
    fireEvent.click(screen.getByTestId('customize-dashboard'));
    const dialog = screen.getByTestId('customize-dialog');
    expect(rows()[0]).toBe('metrics');
    const up = within(dialog).getByRole('button', { name: 'Move Health metrics up' });
    expect(up.getAttribute('aria-disabled')).toBe('true');
    expect(up.getAttribute('title')).toBe('Health metrics is already first');

    const down = within(dialog).getByRole('button', { name: 'Move Health metrics down' });
    down.focus();
    fireEvent.click(down);
    expect(rows().slice(0, 2)).toEqual(['advisories', 'metrics']);
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Move Health metrics down'));

    const chartsRow = screen.getAllByTestId('layout-row').find((r) => r.getAttribute('data-section') === 'charts')!;
    fireEvent.click(within(chartsRow).getByTestId('layout-visible'));
    fireEvent.click(screen.getByTestId('layout-save'));

    await waitFor(() => expect(screen.queryByTestId('customize-dialog')).toBeNull());
    expect(writes()).toHaveLength(1);
    const { method, url, body } = writes()[0]!;
    expect([method, url]).toEqual(['POST', '/api/v1/dashboard-layouts']);
    expect(body).toEqual({
      name: 'Dashboard',
      is_default: true,
      layout: {
        sections: [
          { id: 'advisories', visible: true },
          { id: 'metrics', visible: true },
          { id: 'environments', visible: true },
          { id: 'dora', visible: true },
          { id: 'insights', visible: true },
          { id: 'charts', visible: false },
          { id: 'recent-executions', visible: true },
        ],
      },
    });
  });

  it('updates an existing layout in place and "Reset to default" deletes it', async () => {
    layouts = [{ id: 'l 7', name: 'Dashboard', is_default: true, layout: { sections: [{ id: 'dora', visible: false }] } }];
    renderDashboard();
    await waitFor(() => expect(shownSections()).not.toContain('dora'));
    fireEvent.click(screen.getByTestId('customize-dashboard'));
    fireEvent.click(screen.getByTestId('layout-save'));
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(writes()[0]).toMatchObject({ method: 'PUT', url: '/api/v1/dashboard-layouts/l%207' });

    await waitFor(() => expect(screen.queryByTestId('customize-dialog')).toBeNull());
    fireEvent.click(screen.getByTestId('customize-dashboard'));
    fireEvent.click(screen.getByTestId('layout-reset'));
    await waitFor(() => expect(writes()).toHaveLength(2));
    expect(writes()[1]).toMatchObject({ method: 'DELETE', url: '/api/v1/dashboard-layouts/l%207' });
  });

  it('keeps the dialog open and says why when saving fails', async () => {
    renderDashboard();
    await screen.findAllByTestId('dashboard-section');
    vi.mocked(fetch).mockImplementationOnce(async () =>
      json({ error: { code: 'validation', message: 'layout is larger than 64 KiB', field: 'layout' } }, 422),
    );
    fireEvent.click(screen.getByTestId('customize-dashboard'));
    fireEvent.click(screen.getByTestId('layout-save'));
    expect((await screen.findByRole('alert')).textContent).toContain('layout is larger than 64 KiB');
    expect(screen.getByTestId('customize-dialog')).toBeTruthy();
  });

  it('says so when every section is hidden, with a way back', async () => {
    layouts = [{ id: 'l1', name: 'Dashboard', is_default: true, layout: { sections: ['metrics', 'advisories', 'environments', 'dora', 'insights', 'charts', 'recent-executions'].map((id) => ({ id, visible: false })) } }];
    renderDashboard();
    expect(await screen.findByText('Every section of the dashboard is hidden')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Customize the dashboard' }));
    expect(screen.getByTestId('customize-dialog')).toBeTruthy();
  });

  it('chooses the project a link names (an advisory notification) and drops it from the URL', async () => {
    const router = renderDashboard('/?project=p9');
    await waitFor(() => expect(localStorage.getItem('opzenix.project')).toBe('p9'));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(await screen.findByTestId('advisories-section')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/projects/p9/advisories')).toBe(true));
  });
});
