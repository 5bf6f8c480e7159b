import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdvisoryRulesSection } from './AdvisoryRulesSection';

const rule = (over: Record<string, unknown>) => ({
  rule: 'http_5xx_rate',
  threshold: 5,
  window_seconds: 300,
  severity: 'critical',
  enabled: true,
  source: 'default',
  input: 'metric',
  metric: 'http_5xx_pct',
  aggregate: 'average',
  comparison: 'above',
  unit: '%',
  title: 'HTTP 5xx above 5%',
  ...over,
});
const RULES = [
  rule({}),
  rule({ rule: 'deployment_success_rate', threshold: 95, window_seconds: 86400, input: 'deployments', metric: null, aggregate: null, comparison: 'below', title: 'Deployment success rate below 95%', source: 'global' }),
];

type Call = { method: string; url: string; body: unknown };
let calls: Call[];
let putAnswer: { status: number; body: unknown };

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  localStorage.clear();
  calls = [];
  putAnswer = { status: 200, body: rule({ threshold: 2.5, source: 'project', title: 'HTTP 5xx above 2.5%' }) };
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url.startsWith('/api/v1/projects')) return json(200, { items: [{ id: 'p1', name: 'Shop' }], next_cursor: null });
      if (url.startsWith('/api/v1/advisory-rules') && method === 'GET') return json(200, { items: RULES });
      if (url.startsWith('/api/v1/advisory-rules/')) return json(putAnswer.status, putAnswer.body);
      return json(404, { error: { code: 'not_found', message: 'unexpected ' + url } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderSection(isAdmin: boolean, path = '/settings/advisory-rules') {
  const router = createMemoryRouter([{ path: '/settings/advisory-rules', element: <AdvisoryRulesSection isAdmin={isAdmin} /> }], { initialEntries: [path] });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

const row = async (id: string) => (await screen.findAllByTestId('advisory-rule')).find((r) => r.getAttribute('data-rule') === id)!;
const puts = () => calls.filter((c) => c.method === 'PUT');

describe('AdvisoryRulesSection', () => {
  it('shows each rule in words, read-only for non-admins with the reason on the button', async () => {
    renderSection(false, '/settings/advisory-rules?project=global');
    const r = await row('http_5xx_rate');
    expect(within(r).getByText('HTTP 5xx above 5%')).toBeTruthy();
    expect(within(r).getByText('Average of http_5xx_pct above 5%')).toBeTruthy();
    expect(within(r).getByText('5 min')).toBeTruthy();
    expect(within(r).getByTestId('severity-badge').textContent).toContain('Critical');
    expect(within(r).getByTestId('rule-source').textContent).toBe('Default');
    expect(within(await row('deployment_success_rate')).getByText('24 h')).toBeTruthy();
    expect(within(await row('deployment_success_rate')).getByTestId('rule-source').textContent).toBe('Global setting');
    const edit = within(r).getByRole('button', { name: 'Edit HTTP 5xx above 5%' });
    expect(edit.getAttribute('aria-disabled')).toBe('true');
    expect(edit.getAttribute('title')).toBe('Only admins change advisory rules');
    fireEvent.click(edit);
    expect(screen.queryByTestId('rule-editor')).toBeNull();
    expect(calls.some((c) => c.url === '/api/v1/advisory-rules')).toBe(true);
  });

  it('lets an admin change a rule for the chosen project, checking numbers before sending only what changed', async () => {
    renderSection(true, '/settings/advisory-rules?project=p1');
    fireEvent.click(within(await row('http_5xx_rate')).getByTestId('rule-edit'));
    const editor = screen.getByTestId('rule-editor');
    fireEvent.change(within(editor).getByTestId('rule-threshold'), { target: { value: '140' } });
    fireEvent.change(within(editor).getByTestId('rule-window'), { target: { value: '30' } });
    fireEvent.click(within(editor).getByTestId('rule-save'));
    expect(within(editor).getByText('A percentage is at most 100')).toBeTruthy();
    expect(within(editor).getByText(/^Between 60 s/)).toBeTruthy();
    expect(puts()).toHaveLength(0);

    fireEvent.change(within(editor).getByTestId('rule-threshold'), { target: { value: '2.5' } });
    fireEvent.change(within(editor).getByTestId('rule-window'), { target: { value: '300' } });
    fireEvent.click(within(editor).getByTestId('rule-save'));
    await waitFor(() => expect(screen.queryByTestId('rule-editor')).toBeNull());
    expect(puts()).toEqual([{ method: 'PUT', url: '/api/v1/advisory-rules/http_5xx_rate', body: { threshold: 2.5, project_id: 'p1' } }]);
    expect(await screen.findByText('Saved “HTTP 5xx above 2.5%”.')).toBeTruthy();
  });

  it('shows the server’s refusal on the field it names and keeps the editor open', async () => {
    putAnswer = { status: 422, body: { error: { code: 'validation', message: 'window_seconds must be an integer 60 … 7776000', field: 'window_seconds' } } };
    renderSection(true, '/settings/advisory-rules?project=global');
    fireEvent.click(within(await row('deployment_success_rate')).getByTestId('rule-edit'));
    const editor = screen.getByTestId('rule-editor');
    fireEvent.click(within(editor).getByTestId('rule-enabled'));
    fireEvent.click(within(editor).getByTestId('rule-save'));
    expect(await within(editor).findByText('window_seconds must be an integer 60 … 7776000')).toBeTruthy();
    expect(puts()[0]?.body).toEqual({ enabled: false });
    fireEvent.click(within(editor).getByRole('button', { name: 'Use inherited settings' }));
    await waitFor(() => expect(puts()).toHaveLength(2));
    expect(puts()[1]?.body).toEqual({ threshold: null, window_seconds: null, severity: null, enabled: null });
  });
});
