// The history table's rollback: three interactions (button, reason,
// confirm) send POST /api/v1/deployments/rollback with the row's id; the
// current row's button and a viewer's are disabled with the reason; a
// refusal by governance is shown verbatim.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveSession } from '../auth/session';
import { environmentFixture, rowFixture } from './fixtures';
import { HistoryTable } from './HistoryTable';

const rows = [
  rowFixture('d2', 'v1.4.2', { is_current: true, commit_sha: '2'.repeat(40) }),
  rowFixture('d1', 'v1.4.1', { commit_sha: '1'.repeat(40) }),
];

function renderTable(role: string) {
  const env = environmentFixture();
  const router = createMemoryRouter([
    { path: '/', element: <HistoryTable env={env} rows={rows} complete role={role} userName={(id) => id ?? 'someone'} /> },
  ]);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

const button = (id: string) => document.querySelector(`[data-testid=rollback-button][data-deployment-id="${id}"]`) as HTMLButtonElement;

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

beforeEach(() => {
  localStorage.clear();
  saveSession({ token: 't', expires_at: new Date(Date.now() + 3_600_000).toISOString(), user: { id: 'u1', email: 'op@example.com', role: 'operator' } });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('HistoryTable rollback', () => {
  it('rolls back in three interactions, showing the version change', async () => {
    const fetch = answer(202, { id: 'd3', execution_id: 'e3', status: 'pending', rollback_of: 'd1' });
    vi.stubGlobal('fetch', fetch);
    renderTable('operator');
    fireEvent.click(button('d1')); // 1
    expect(screen.getByTestId('rollback-change').textContent).toBe('v1.4.2 → v1.4.1');
    expect(screen.getByText('Staging will run v1.4.1 (1111111) instead of v1.4.2 (2222222).')).toBeTruthy();
    expect(screen.getByTestId('rollback-confirm').getAttribute('aria-disabled')).toBe('true');
    fireEvent.change(screen.getByTestId('rollback-reason'), { target: { value: 'v1.4.2 answers 500' } }); // 2
    fireEvent.click(screen.getByTestId('rollback-confirm')); // 3
    await waitFor(() => expect(screen.queryByTestId('rollback-reason')).toBeNull());
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/deployments/rollback');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ deployment_id: 'd1', environment: 'Staging', reason: 'v1.4.2 answers 500', project_id: 'p1' });
  });

  it('shows governance’s refusal verbatim and keeps the dialog open', async () => {
    const message = 'governance blocked this execution: Environment Staging is locked: incident 42';
    vi.stubGlobal('fetch', answer(409, { error: { code: 'conflict', message } }));
    renderTable('operator');
    fireEvent.click(button('d1'));
    fireEvent.change(screen.getByTestId('rollback-reason'), { target: { value: 'bad' } });
    fireEvent.click(screen.getByTestId('rollback-confirm'));
    await waitFor(() => expect(screen.getByTestId('action-refusal').textContent).toContain(message));
    expect(screen.getByTestId('rollback-reason')).toBeTruthy();
  });

  it('disables the current version’s row, and every row for a viewer, with the reason', () => {
    renderTable('viewer');
    expect(button('d2').getAttribute('title')).toBe('This is the version running now');
    expect(button('d1').getAttribute('aria-disabled')).toBe('true');
    expect(button('d1').getAttribute('title')).toBe('Viewers cannot roll back Staging');
    fireEvent.click(button('d1'));
    expect(screen.queryByTestId('rollback-reason')).toBeNull();
  });
});
