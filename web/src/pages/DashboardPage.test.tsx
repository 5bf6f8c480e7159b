import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DashboardPage } from './DashboardPage';

let executions: unknown[] = [];
beforeEach(() => {
  localStorage.clear();
  executions = [];
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const body = url.startsWith('/api/v1/dashboard/metrics')
        ? { active_executions: 3, success_rate_24h: 0.5, avg_deployment_seconds: 64, pending_approvals: 2 }
        : url.startsWith('/api/v1/deployments')
          ? {
              items: [
                { id: 'd1', execution_id: 'x1', environment: 'Staging', version: 'staging-1a2b3c4', status: 'success', created_at: new Date().toISOString() },
              ],
              next_cursor: null,
            }
          : { items: executions, next_cursor: null };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderDashboard() {
  const router = createMemoryRouter([{ path: '/', element: <DashboardPage /> }], { initialEntries: ['/'] });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('DashboardPage', () => {
  it('shows the four health metrics in words', async () => {
    renderDashboard();
    const active = screen.getByTestId('metric-active-executions');
    expect(within(active).getByText('Active executions')).toBeTruthy();
    expect(await within(active).findByText('3')).toBeTruthy();
    expect(within(screen.getByTestId('metric-success-rate')).getByText('Success rate (24 h)')).toBeTruthy();
    expect(await within(screen.getByTestId('metric-success-rate')).findByText('50%')).toBeTruthy();
    expect(within(screen.getByTestId('metric-avg-deployment')).getByText('1m 04s')).toBeTruthy();
    expect(within(screen.getByTestId('metric-pending-approvals')).getByText('Pending approvals')).toBeTruthy();
  });

  it('shows each environment’s current version and says how to start when nothing ran', async () => {
    renderDashboard();
    const staging = await screen.findByText('staging-1a2b3c4');
    expect(staging.closest('[data-environment]')?.getAttribute('data-environment')).toBe('Staging');
    expect(screen.getAllByText('Nothing deployed yet')).toHaveLength(3);
    expect(await screen.findByText('No executions yet')).toBeTruthy();
    expect(screen.getByText(/opzenix run/)).toBeTruthy();
  });
});
