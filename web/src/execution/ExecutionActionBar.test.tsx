import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '../api/types';
import { saveSession } from '../auth/session';
import { NodeStateStore } from '../dag/nodeStore';
import { executionFixture } from '../executions/executionFixture';
import { ExecutionActionBar } from './ExecutionActionBar';

function renderBar(status: ExecutionStatus) {
  const e = { ...executionFixture({ status }), nodes: [] };
  const router = createMemoryRouter([{ path: '/', element: <ExecutionActionBar e={e} store={new NodeStateStore()} /> }]);
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

// A button disabled with a reason: aria-disabled, and the reason on hover and for screen readers.
function reasonOf(testId: string): string | null {
  const b = screen.getByTestId(testId);
  if (b.getAttribute('aria-disabled') !== 'true') return null;
  const described = document.getElementById(b.getAttribute('aria-describedby') ?? '');
  expect(described?.textContent).toBe(b.getAttribute('title'));
  return b.getAttribute('title');
}

beforeEach(() => {
  localStorage.clear();
  saveSession({ token: 't', expires_at: new Date(Date.now() + 3_600_000).toISOString(), user: { id: 'u1', email: 'op@example.com', role: 'operator' } });
});
afterEach(cleanup);

describe('ExecutionActionBar', () => {
  it.each<ExecutionStatus>(['success', 'warning', 'failed', 'cancelled'])('a %s execution: Cancel and Force fail are disabled, saying it finished', (status) => {
    renderBar(status);
    expect(reasonOf('action-cancel')).toBe('The execution already finished');
    expect(reasonOf('action-force-fail')).toBe('The execution already finished');
  });
  it.each<ExecutionStatus>(['idle', 'running', 'paused'])('a %s execution: an operator may cancel or force-fail it', (status) => {
    renderBar(status);
    expect(reasonOf('action-cancel')).toBeNull();
    expect(reasonOf('action-force-fail')).toBeNull();
  });
});
