import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Execution } from '../api/types';
import { executionFixture } from '../executions/executionFixture';
import { ExecutionsPage } from './ExecutionsPage';

function execution(over: Partial<Execution>): Execution {
  return executionFixture({ started_at: new Date(Date.now() - 64_000).toISOString(), ...over });
}

const calls: string[] = [];
beforeEach(() => {
  calls.length = 0;
  localStorage.clear();
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      calls.push(url);
      const body = url.startsWith('/api/v1/projects')
        ? { items: [{ id: 'p1', name: 'Demo Service' }], next_cursor: null }
        : {
            items: [
              execution({}),
              execution({ id: 'e2', name: 'ship', status: 'failed', governance_status: 'blocked', blocked_reason: 'Environment Production is locked: incident 42' }),
            ],
            next_cursor: url.includes('cursor=') ? null : 'c2',
          };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderAt(url: string) {
  const router = createMemoryRouter([{ path: '/executions', element: <ExecutionsPage /> }], { initialEntries: [url] });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

describe('ExecutionsPage', () => {
  it('lists executions with their words, from the filters in the URL', async () => {
    renderAt('/executions?environment=Staging');
    const rows = await screen.findAllByTestId('execution-row');
    expect(rows.map((r) => r.getAttribute('data-execution-id'))).toEqual(['e1', 'e2']);
    expect(calls.some((c) => c.startsWith('/api/v1/executions?environment=Staging&limit=50'))).toBe(true);
    expect(rows[0]!.textContent).toContain('Demo Service');
    expect(rows[0]!.textContent).toContain('1011ca6');
    expect(rows[0]!.textContent).toContain('Push');
    expect(rows[1]!.textContent).toContain('Blocked: Environment Production is locked: incident 42');
    expect((screen.getByTestId('filter-environment') as HTMLSelectElement).value).toBe('Staging');
  });

  it('puts a changed filter in the URL and asks the server with it', async () => {
    const router = renderAt('/executions');
    await screen.findAllByTestId('execution-row');
    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'failed' } });
    expect(router.state.location.search).toBe('?status=failed');
    await vi.waitFor(() => expect(calls.some((c) => c.startsWith('/api/v1/executions?status=failed'))).toBe(true));
  });

  it('loads the next page through next_cursor', async () => {
    renderAt('/executions');
    await screen.findAllByTestId('execution-row');
    fireEvent.click(screen.getByTestId('load-more'));
    await vi.waitFor(() => expect(calls.some((c) => c.includes('cursor=c2'))).toBe(true));
    await vi.waitFor(() => expect(screen.queryByTestId('load-more')).toBeNull());
  });
});
