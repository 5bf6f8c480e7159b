import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotificationBell } from './NotificationBell';

const now = new Date().toISOString();
const unread = { id: 'n1', type: 'approval_decided', target: 'u1', project_id: 'p1', payload: { environment: 'Production', status: 'approved', execution_id: 'e1' }, read: false, read_at: null, created_at: now };
const old = { id: 'n2', type: 'execution_failed', target: 'u1', project_id: 'p1', payload: { name: 'web', reason: 'tests failed', execution_id: 'e2' }, read: true, read_at: now, created_at: now };
let posts: string[];

beforeEach(() => {
  posts = [];
  vi.stubGlobal('EventSource', class { addEventListener() {} close() {} readyState = 0; onopen = null; onerror = null });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') posts.push(url);
      const body = url.includes('unread=true') ? { items: [unread], next_cursor: null } : url.startsWith('/api/v1/notifications?') ? { items: [unread, old], next_cursor: null } : {};
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderBell() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <NotificationBell />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('NotificationBell', () => {
  it('shows the unread count and lists the newest, each linking to what it is about', async () => {
    renderBell();
    expect((await screen.findByTestId('notification-count')).textContent).toBe('1');
    const bell = screen.getByTestId('notification-bell');
    expect(bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(bell.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(bell);
    expect(bell.getAttribute('aria-expanded')).toBe('true');
    const items = await screen.findAllByTestId('notification-item');
    expect(items.map((i) => i.getAttribute('data-read'))).toEqual(['false', 'true']);
    expect(within(items[0]!).getByRole('link', { name: 'Deploy to Production approved' }).getAttribute('href')).toBe('/executions/e1');
    expect(within(items[1]!).getByRole('link', { name: 'web failed: tests failed' })).toBeTruthy();
  });

  it('marks one read and all read', async () => {
    renderBell();
    await screen.findByTestId('notification-count');
    fireEvent.click(screen.getByTestId('notification-bell'));
    const items = await screen.findAllByTestId('notification-item');
    fireEvent.click(within(items[0]!).getByRole('button', { name: 'Mark read: Deploy to Production approved' }));
    fireEvent.click(screen.getByTestId('notification-read-all'));
    await vi.waitFor(() => expect(posts).toEqual(['/api/v1/notifications/n1/read', '/api/v1/notifications/read-all']));
  });

  it('closes on Escape and gives focus back to the bell', async () => {
    renderBell();
    const bell = screen.getByTestId('notification-bell');
    fireEvent.click(bell);
    const panel = screen.getByTestId('notification-panel');
    await within(panel).findAllByTestId('notification-item');
    fireEvent.keyDown(within(panel).getByTestId('notification-read-all'), { key: 'Escape' });
    expect(screen.queryByTestId('notification-panel')).toBeNull();
    expect(bell.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(bell);
  });
});
