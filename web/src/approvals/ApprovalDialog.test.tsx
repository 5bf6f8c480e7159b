import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { ApprovalDialog, REJECT_NEEDS_COMMENT } from './ApprovalDialog';
import { BulkBar } from './BulkBar';
import { approvalFixture } from './fixture';
import type { ApprovalChanges } from './types';

let changes: { status: number; body: unknown };
beforeEach(() => {
  changes = { status: 404, body: { error: { code: 'not_found', message: 'no route' } } };
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(changes.body), { status: changes.status, headers: { 'Content-Type': 'application/json' } })),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderDialog(props: Partial<Parameters<typeof ApprovalDialog>[0]> = {}) {
  const onVote = vi.fn(async () => undefined);
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <ApprovalDialog item={approvalFixture()} projectName="Web" blockReason={null} onVote={onVote} onClose={() => {}} {...props} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { onVote: (props.onVote as typeof onVote | undefined) ?? onVote, dialog: screen.getByTestId('approval-dialog') };
}

// A button disabled with a reason: aria-disabled, the reason on hover and for screen readers.
function reasonOf(button: HTMLElement): string | null {
  if (button.getAttribute('aria-disabled') !== 'true') return null;
  expect(document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent).toBe(button.getAttribute('title'));
  return button.getAttribute('title');
}

describe('ApprovalDialog', () => {
  it('refuses to reject with an empty comment, without asking the server', async () => {
    const { onVote, dialog } = renderDialog();
    const comment = within(dialog).getByTestId('reject-comment');
    fireEvent.change(comment, { target: { value: '   ' } });
    fireEvent.click(within(dialog).getByTestId('reject-button'));
    expect(onVote).not.toHaveBeenCalled();
    expect(within(dialog).getByRole('alert').textContent).toBe(REJECT_NEEDS_COMMENT);
    expect(document.activeElement).toBe(comment);
    fireEvent.change(comment, { target: { value: 'wrong build' } });
    fireEvent.click(within(dialog).getByTestId('reject-button'));
    await vi.waitFor(() => expect(onVote).toHaveBeenCalledWith(false, 'wrong build'));
  });

  it('approves without a comment', async () => {
    const { onVote, dialog } = renderDialog();
    fireEvent.click(within(dialog).getByTestId('approve-button'));
    await vi.waitFor(() => expect(onVote).toHaveBeenCalledWith(true, ''));
  });

  it('disables both votes with the reason when I may not vote, and says why', () => {
    const reason = 'The user who started the execution may not approve it.';
    const { onVote, dialog } = renderDialog({ blockReason: reason });
    for (const id of ['approve-button', 'reject-button']) {
      const b = within(dialog).getByTestId(id);
      expect(reasonOf(b)).toBe(reason);
      fireEvent.click(b);
    }
    expect(onVote).not.toHaveBeenCalled();
    expect(within(dialog).getByTestId('vote-blocked-reason').textContent).toBe(`You cannot vote: ${reason}`);
    expect(within(dialog).queryByTestId('reject-comment')).toBeNull();
  });

  it('shows a refused vote with its request id and keeps the dialog', async () => {
    const onVote = vi.fn(() => Promise.reject(new ApiError(403, 'the user who started the execution may not approve it', 'forbidden', undefined, 'req-9')));
    const { dialog } = renderDialog({ onVote });
    fireEvent.click(within(dialog).getByTestId('approve-button'));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('the user who started the execution may not approve it (request id req-9)');
  });

  it('shows approvals given of required with the voters’ names', () => {
    const item = approvalFixture({ approvals: 1, votes: [{ user_id: 'u-ana', vote: true, full_name: 'Ana Lima', comment: 'ship it' }] });
    const { dialog } = renderDialog({ item });
    expect(within(dialog).getByTestId('approval-dialog-progress').textContent).toBe('1 of 2 approvals');
    expect(within(dialog).getByTestId('approval-vote').textContent).toContain('Ana Lima approved: “ship it”');
    expect(within(dialog).getByText('Waiting for 1 more approval — 1 of 2 given by Ana Lima')).toBeTruthy();
  });

  it('shows the version change and the commits between', async () => {
    const body: ApprovalChanges = {
      environment: 'Production',
      project_id: 'p1',
      target: { commit_sha: 'a1b2c3d4e5f6', version: 'v1.4.2' },
      current: { deployment_id: 'd1', version: 'v1.4.1', commit_sha: 'e5f6a7b8c9d0', deployed_at: new Date().toISOString() },
      commits: [
        { sha: 'a1b2c3d4e5f6', subject: 'Fix the checkout total', author: 'Ana', date: new Date().toISOString() },
        { sha: 'b2c3d4e5f6a7', subject: 'Add a retry', author: 'Bo', date: new Date().toISOString() },
      ],
      commits_truncated: true,
      commits_error: null,
    };
    changes = { status: 200, body };
    const { dialog } = renderDialog();
    const section = within(dialog).getByTestId('approval-changes');
    expect((await within(section).findByTestId('approval-version-change')).textContent).toContain('Production will run v1.4.2 (a1b2c3d) instead of v1.4.1 (e5f6a7b)');
    expect(within(section).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('Fix the checkout total'),
      expect.stringContaining('Add a retry'),
    ]);
    expect(within(section).getByText('Only the newest 2 commits are shown.')).toBeTruthy();
  });

  it('without the changes route, still names the commit to deploy', async () => {
    const { dialog } = renderDialog();
    const section = within(dialog).getByTestId('approval-changes');
    expect((await within(section).findByText(/would run commit/)).textContent).toContain('Production would run commit a1b2c3d.');
  });
});

describe('BulkBar', () => {
  it('reports what failed and why per request, after the summary', () => {
    const refusal = new ApiError(403, 'the user who started the execution may not approve it', 'forbidden');
    render(
      <BulkBar
        selected={1}
        busy={false}
        outcomes={[
          { id: 'a', ok: true },
          { id: 'b', ok: false, error: refusal },
        ]}
        describe={(id) => (id === 'b' ? 'web to Production' : 'api to Staging')}
        onApprove={() => {}}
        onClear={() => {}}
      />,
    );
    const result = screen.getByTestId('bulk-result');
    expect(within(result).getByText('1 approved, 1 failed')).toBeTruthy();
    const failures = within(result).getAllByTestId('bulk-failure');
    expect(failures.map((f) => f.textContent)).toEqual(['web to Production: Not allowed (403): the user who started the execution may not approve it']);
  });

  it('cannot approve nothing', () => {
    const approve = vi.fn();
    render(<BulkBar selected={0} busy={false} outcomes={null} describe={(id) => id} onApprove={approve} onClear={() => {}} />);
    const b = screen.getByTestId('approve-selected');
    expect(reasonOf(b)).toBe('Select one or more requests first');
    fireEvent.click(b);
    expect(approve).not.toHaveBeenCalled();
  });
});
