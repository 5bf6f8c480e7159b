import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokensSection } from './TokensSection';
import type { ApiToken } from './tokens';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('TokensSection', () => {
  it('shows a new token once, with the warning, and never in the list', async () => {
    const stored: ApiToken = { id: 't1', name: 'deploy', token_prefix: 'opz_9f3a', created_at: '2026-12-05T10:00:00Z', last_used_at: null, expires_at: null, revoked_at: null };
    let list: ApiToken[] = [];
    const posted: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        if (init.method === 'POST') {
          posted.push(JSON.parse(String(init.body)));
          list = [stored];
          return json({ ...stored, token: 'opz_9f3a-the-whole-secret-token' }, 201);
        }
        return json({ items: list, next_cursor: null });
      }),
    );
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <TokensSection />
      </QueryClientProvider>,
    );
    await screen.findByText('No API tokens yet');
    const create = screen.getByTestId('token-create');
    expect(create.getAttribute('aria-disabled')).toBe('true'); // no name yet
    fireEvent.change(screen.getByTestId('token-name'), { target: { value: 'deploy' } });
    fireEvent.click(create);

    expect((await screen.findByTestId('token-value')).textContent).toBe('opz_9f3a-the-whole-secret-token');
    expect(screen.getByText(/only time it is shown/)).toBeTruthy();
    expect(posted).toEqual([{ name: 'deploy', expires_in: '90d' }]);
    await waitFor(() => expect(screen.getAllByTestId('token-row')).toHaveLength(1));
    expect(screen.getByTestId('token-row').textContent).not.toContain('the-whole-secret');

    fireEvent.click(screen.getByRole('button', { name: 'I saved it' }));
    expect(screen.queryByTestId('token-value')).toBeNull();
  });
});
