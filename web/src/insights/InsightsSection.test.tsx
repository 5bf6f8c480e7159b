import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setProjectScope } from '../shell/projectScope';
import { InsightsSection } from './InsightsSection';

const INSIGHTS = {
  window: '7d',
  window_start: '2026-11-28T16:00:00.000Z',
  generated_at: '2026-12-05T16:00:00.000Z',
  slowest_nodes: [
    { node_id: 'slow', runs: 3, p50_ms: 1010, p95_ms: 64000, previous_p95_ms: 1000, trend: 'slower', series: [] },
    { node_id: 'lint', runs: 3, p50_ms: 40, p95_ms: 52, previous_p95_ms: null, trend: 'new', series: [] },
  ],
  flaky_nodes: [{ node_id: 'flaky', runs: 4, failures: 1, passed_after_retry: 3, flips: 1, score: 1 }],
  failure_clusters: [
    {
      signature: 'connection refused to <ip>:<n> after <n>ms',
      exit_code: 3,
      count: 3,
      first_seen: '2026-12-05T15:00:00.000Z',
      last_seen: '2026-12-05T15:50:00.000Z',
      example_execution_ids: ['e3', 'e2'],
      node_ids: ['db'],
    },
  ],
  queue_wait: { p50_ms: 12, p95_ms: 2500, executions: 3, nodes: { p50_ms: 0, p95_ms: 0, runs: 9 } },
};
const EMPTY = {
  ...INSIGHTS,
  slowest_nodes: [],
  flaky_nodes: [],
  failure_clusters: [],
  queue_wait: { p50_ms: null, p95_ms: null, executions: 0, nodes: { p50_ms: null, p95_ms: null, runs: 0 } },
};

type Answer = { status: number; body: unknown };
let answer: Answer;
let requests: string[];

const json = ({ status, body }: Answer) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  localStorage.clear();
  requests = [];
  answer = { status: 200, body: INSIGHTS };
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requests.push(url);
      if (url.includes('/insights')) return json(answer);
      return json({ status: 404, body: { error: { code: 'not_found', message: 'unexpected ' + url } } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setProjectScope('');
});

function renderSection(path = '/') {
  const router = createMemoryRouter(
    [
      { path: '/', element: <InsightsSection /> },
      { path: '/executions/:id', element: <p>execution page</p> },
    ],
    { initialEntries: [path] },
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

describe('InsightsSection', () => {
  it('asks for a project when all projects are chosen, without asking the server', () => {
    renderSection();
    expect(screen.getByText('Pick a project to see its pipeline insights')).toBeTruthy();
    expect(requests).toEqual([]);
  });

  it('shows the slowest nodes with p50, p95 and a trend arrow with its word', async () => {
    setProjectScope('p1');
    renderSection();
    const table = await screen.findByTestId('insights-slowest');
    expect(requests[0]).toBe('/api/v1/projects/p1/insights?window=7d');
    const [first, second, ...rest] = within(table).getAllByTestId('insights-slow-node');
    if (!first || !second) throw new Error('two rows expected');
    expect(rest).toHaveLength(0);
    expect(within(first).getByText('slow')).toBeTruthy();
    expect(within(first).getByText('1s')).toBeTruthy();
    expect(within(first).getByText('1m 04s')).toBeTruthy();
    const trend = within(first).getByTestId('insights-trend');
    expect(trend.getAttribute('data-trend')).toBe('slower');
    expect(trend.textContent).toBe('↑ Slower');
    expect(trend.getAttribute('title')).toBe('p95 1s in the previous window');
    expect(within(second).getByTestId('insights-trend').textContent).toBe('• New');
  });

  it('explains the flakiness score by its counts', async () => {
    setProjectScope('p1');
    renderSection();
    const flaky = await screen.findByTestId('insights-flaky-node');
    expect(within(flaky).getByText('flaky')).toBeTruthy();
    expect(within(flaky).getByText('100%')).toBeTruthy();
    expect(within(flaky).getByText('passed after a retry 3×, flipped 1× on the same commit or branch in 4 runs')).toBeTruthy();
  });

  it('shows failure clusters with their signature, count, exit code and links to examples', async () => {
    setProjectScope('p1');
    const router = renderSection();
    const cluster = await screen.findByTestId('insights-cluster');
    expect(within(cluster).getByTestId('insights-signature').textContent).toBe('connection refused to <ip>:<n> after <n>ms');
    expect(within(cluster).getByText('3 failures')).toBeTruthy();
    expect(within(cluster).getByText('exit 3')).toBeTruthy();
    const links = within(cluster).getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/executions/e3', '/executions/e2']);
    fireEvent.click(links[0]!);
    expect(router.state.location.pathname).toBe('/executions/e3');
  });

  it('shows queue wait figures for executions and nodes', async () => {
    setProjectScope('p1');
    renderSection();
    const executions = await screen.findByTestId('insights-queue-executions');
    expect(within(executions).getByText('12ms')).toBeTruthy();
    expect(within(executions).getByText('2s')).toBeTruthy();
    expect(within(executions).getByText('Created → started, 3 executions')).toBeTruthy();
    expect(within(screen.getByTestId('insights-queue-nodes')).getByText('Ready → running, 9 node runs')).toBeTruthy();
  });

  it('changes the window through the URL and asks for it', async () => {
    setProjectScope('p1');
    const router = renderSection();
    await screen.findByTestId('insights-slowest');
    fireEvent.click(screen.getByTestId('insights-window-30d'));
    await vi.waitFor(() => expect(requests).toContain('/api/v1/projects/p1/insights?window=30d'));
    expect(router.state.location.search).toBe('?insights_window=30d');
    expect(screen.getByTestId('insights-window-30d').getAttribute('aria-pressed')).toBe('true');
  });

  it('says what would be here when nothing ran in the window', async () => {
    setProjectScope('p1');
    answer = { status: 200, body: EMPTY };
    renderSection('/?insights_window=90d');
    expect(await screen.findByText('No executions of this project in the last 90 days')).toBeTruthy();
    expect(requests[0]).toBe('/api/v1/projects/p1/insights?window=90d');
  });

  it('shows the error with a retry, and an explanation when the server has no such route', async () => {
    setProjectScope('p1');
    answer = { status: 500, body: { error: { code: 'internal', message: 'database is locked' } } };
    renderSection();
    const error = await screen.findByTestId('error-state', {}, { timeout: 4000 }); // after one retry
    expect(within(error).getByText('Could not load the pipeline insights')).toBeTruthy();
    expect(within(error).getByText('database is locked')).toBeTruthy();
    cleanup();
    answer = { status: 404, body: { error: { code: 'not_found', message: 'no route matches this path' } } };
    renderSection();
    expect(await screen.findByText('Pipeline insights are not available from this server')).toBeTruthy();
  });
});
