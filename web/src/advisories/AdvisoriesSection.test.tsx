import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setProjectScope } from '../shell/projectScope';
import { AdvisoriesSection } from './AdvisoriesSection';

type Answer = { status: number; body: unknown };
let advisories: Answer;
let requests: string[];

const json = ({ status, body }: Answer) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-9' } });
const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString();

const ITEMS = [
  { id: 'a1', project_id: 'p1', rule: 'pod_restarts', severity: 'warning', title: 'Pod restarts above 3', message: '7 restarts in 5 min', observed: 7, threshold: 3, status: 'open', created_at: ago(3), updated_at: ago(3), resolved_at: null },
  { id: 'a2', project_id: 'p1', rule: 'http_5xx_rate', severity: 'critical', title: 'HTTP 5xx above 5%', message: '5xx at 12%', observed: 12, threshold: 5, status: 'open', created_at: ago(10), updated_at: ago(1), resolved_at: null },
  { id: 'a3', project_id: 'p1', rule: 'error_rate', severity: 'critical', title: 'Error rate above 1%', message: '', observed: 4, threshold: 1, status: 'resolved', created_at: ago(90), updated_at: ago(60), resolved_at: ago(60) },
];
const RULES = [
  { rule: 'http_5xx_rate', unit: '%' },
  { rule: 'pod_restarts', unit: 'restarts' },
];

beforeEach(() => {
  localStorage.clear();
  requests = [];
  advisories = { status: 200, body: { items: ITEMS } };
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requests.push(url);
      if (url.includes('/advisories')) return json(advisories);
      if (url.startsWith('/api/v1/advisory-rules')) return json({ status: 200, body: { items: RULES } });
      return json({ status: 404, body: { error: { code: 'not_found', message: 'unexpected ' + url } } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderSection() {
  const router = createMemoryRouter([{ path: '/', element: <AdvisoriesSection /> }], { initialEntries: ['/'] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('AdvisoriesSection', () => {
  it('asks for a project when all projects are chosen, and asks the server nothing', () => {
    renderSection();
    expect(screen.getByText('Pick a project to see its advisories')).toBeTruthy();
    expect(requests).toEqual([]);
  });

  it('lists open advisories most severe first with the value against the threshold; resolved ones behind their count', async () => {
    setProjectScope('p1');
    renderSection();
    const open = await screen.findByRole('list', { name: 'Open advisories' });
    const items = within(open).getAllByTestId('advisory');
    expect(items.map((i) => i.getAttribute('data-rule'))).toEqual(['http_5xx_rate', 'pod_restarts']);
    expect(within(items[0]!).getByTestId('severity-badge').textContent).toContain('Critical');
    expect(within(items[0]!).getByText('5xx at 12%')).toBeTruthy();
    expect(await within(items[0]!).findByText('Observed 12% against a threshold of 5%')).toBeTruthy();
    expect(within(items[1]!).getByText('Observed 7 restarts against a threshold of 3 restarts')).toBeTruthy();
    expect(within(items[1]!).getByText('3 min ago')).toBeTruthy();
    const resolved = screen.getByTestId('resolved-advisories');
    expect(resolved.hasAttribute('open')).toBe(false);
    fireEvent.click(within(resolved).getByText('1 resolved advisory'));
    expect(within(resolved).getByText('Error rate above 1%')).toBeTruthy();
    expect(requests).toContain('/api/v1/projects/p1/advisories');
  });

  it('says when nothing is open, and what failed with the request id', async () => {
    setProjectScope('p1');
    advisories = { status: 200, body: { items: [] } };
    renderSection();
    expect(await screen.findByText('No open advisories')).toBeTruthy();
    expect(screen.queryByTestId('resolved-advisories')).toBeNull();
    cleanup();
    advisories = { status: 500, body: { error: { code: 'internal', message: 'database is locked' } } };
    renderSection();
    expect(await screen.findByText('Could not load the advisories')).toBeTruthy();
    expect(screen.getByText('database is locked')).toBeTruthy();
    expect(screen.getByText('req-9')).toBeTruthy();
  });
});
