import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setProjectScope } from '../shell/projectScope';
import { DoraSection } from './DoraSection';

const METRICS = {
  deployment_frequency: 2 / 7,
  lead_time_seconds: 2 * 86400 + 3 * 3600,
  change_failure_rate: 0.5,
  time_to_restore_seconds: 1800,
  window: '7d',
  environment: 'Production',
  lead_time_basis: 'commit_time',
  series: [
    { date: '2026-12-04', deployments: 1, failures: 1 },
    { date: '2026-12-05', deployments: 1, failures: 0 },
  ],
};

type Answer = { status: number; body: unknown };
let dora: Answer;
let requests: string[];

const json = ({ status, body }: Answer) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  localStorage.clear();
  requests = [];
  dora = { status: 200, body: METRICS };
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requests.push(url);
      if (url.includes('/dora')) return json(dora);
      if (url.endsWith('/environments')) return json({ status: 200, body: { items: [{ name: 'Staging' }, { name: 'Production' }] } });
      return json({ status: 404, body: { error: { code: 'not_found', message: 'unexpected ' + url } } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderSection(path = '/') {
  const router = createMemoryRouter([{ path: '/', element: <DoraSection /> }], { initialEntries: [path] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

const tile = (id: string) => screen.getByTestId(id);

describe('DoraSection', () => {
  it('asks for a project when all projects are chosen, without asking the server', () => {
    renderSection();
    expect(screen.getByText('Pick a project to see its delivery performance')).toBeTruthy();
    expect(requests).toEqual([]);
  });

  it('shows the four metrics in words with their bands for the window and environment in the URL', async () => {
    setProjectScope('p1');
    renderSection('/?dora_window=7d');
    await screen.findByText('2 per week');
    expect(requests.find((u) => u.includes('/dora'))).toBe('/api/v1/projects/p1/dora?window=7d&environment=Production');
    const band = (id: string) => within(tile(id)).getByTestId('dora-band');
    expect(band('dora-deployment-frequency').textContent).toContain('High');
    expect(within(tile('dora-lead-time')).getByText('2d 3h')).toBeTruthy();
    expect(band('dora-lead-time').textContent).toContain('High');
    expect(within(tile('dora-lead-time')).getByText('From commit to deployment')).toBeTruthy();
    expect(within(tile('dora-change-failure-rate')).getByText('50%')).toBeTruthy();
    expect(band('dora-change-failure-rate').getAttribute('data-band')).toBe('low');
    expect(within(tile('dora-time-to-restore')).getByText('30m 00s')).toBeTruthy();
    expect(band('dora-time-to-restore').textContent).toContain('Elite');
    expect(screen.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('keeps the chosen window and environment in the URL and asks again', async () => {
    setProjectScope('p1');
    const router = renderSection();
    await screen.findByText('2 per week');
    fireEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(router.state.location.search).toBe('?dora_window=90d');
    await screen.findByRole('option', { name: 'Staging' });
    fireEvent.change(screen.getByLabelText('Environment'), { target: { value: 'Staging' } });
    expect(router.state.location.search).toBe('?dora_window=90d&dora_env=Staging');
    await vi.waitFor(() => expect(requests).toContain('/api/v1/projects/p1/dora?window=90d&environment=Staging'));
  });

  it('says what is missing when nothing was deployed: no bands for unmeasured metrics, no chart', async () => {
    setProjectScope('p1');
    dora = {
      status: 200,
      body: { ...METRICS, deployment_frequency: 0, lead_time_seconds: null, change_failure_rate: null, time_to_restore_seconds: null, series: [] },
    };
    renderSection();
    await screen.findByText('None');
    expect(within(tile('dora-lead-time')).queryByTestId('dora-band')).toBeNull();
    expect(within(tile('dora-lead-time')).getByText('—')).toBeTruthy();
    expect(within(tile('dora-time-to-restore')).getByText('No failed deployment to recover from')).toBeTruthy();
    expect(screen.getByText('No deployments to Production in the last 30 days')).toBeTruthy();
  });

  it('explains once that the server has no DORA metrics when the route is missing', async () => {
    setProjectScope('p1');
    dora = { status: 404, body: { error: { code: 'not_found', message: 'no route matches this path' } } };
    renderSection();
    expect(await screen.findByText('DORA metrics are not available from this server')).toBeTruthy();
    expect(requests.filter((u) => u.includes('/dora'))).toHaveLength(1);
    expect(screen.queryByTestId('error-state')).toBeNull();
  });

  it('shows other failures as an error with what failed', async () => {
    setProjectScope('p1');
    dora = { status: 404, body: { error: { code: 'not_found', message: 'project not found' } } };
    renderSection();
    // (after the one retry other failures get, a second later)
    expect(await screen.findByText('Could not load the DORA metrics', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('project not found')).toBeTruthy();
  });
});
