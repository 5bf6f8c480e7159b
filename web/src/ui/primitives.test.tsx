import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { Button } from './Button';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorState } from './ErrorState';
import { RelativeTime } from './RelativeTime';

afterEach(cleanup);

describe('Button', () => {
  it('says why it is disabled and ignores clicks', () => {
    const click = vi.fn();
    render(
      <Button disabled reason="Only admins may unlock Production" onClick={click}>
        Unlock
      </Button>,
    );
    const b = screen.getByRole('button', { name: 'Unlock' });
    expect(b.getAttribute('aria-disabled')).toBe('true');
    expect(b.getAttribute('title')).toBe('Only admins may unlock Production');
    expect(b).toHaveProperty('disabled', false); // still focusable, so the reason is reachable
    expect(document.getElementById(b.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Only admins may unlock Production',
    );
    fireEvent.click(b);
    expect(click).not.toHaveBeenCalled();
  });
});

describe('ConfirmDialog', () => {
  it('needs a reason, passes it trimmed, and closes on Esc', async () => {
    const confirm = vi.fn();
    const cancel = vi.fn();
    render(
      <ConfirmDialog
        title="Cancel execution?"
        consequence="The running step is stopped."
        confirmLabel="Cancel execution"
        onConfirm={confirm}
        onCancel={cancel}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Cancel execution?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const submit = screen.getByTestId('confirm-submit');
    fireEvent.click(submit);
    expect(confirm).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText(/Reason/), { target: { value: '  wrong branch  ' } });
    fireEvent.click(submit);
    await vi.waitFor(() => expect(confirm).toHaveBeenCalledWith('wrong branch'));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(cancel).toHaveBeenCalled();
  });

  it('shows a failure with its request id instead of closing', async () => {
    const fail = () => Promise.reject(new ApiError(409, 'already finished', 'conflict', undefined, 'req-7'));
    render(<ConfirmDialog title="T" consequence="C" confirmLabel="Go" onConfirm={fail} onCancel={() => {}} reasonRequired={false} />);
    fireEvent.click(screen.getByTestId('confirm-submit'));
    expect((await screen.findByRole('alert')).textContent).toBe('already finished (request id req-7)');
  });
});

describe('ErrorState', () => {
  it('says what failed with the request id', () => {
    render(<ErrorState title="Could not load executions" error={new ApiError(500, 'database busy', 'internal', undefined, 'abc123')} />);
    expect(screen.getByRole('alert').textContent).toContain('database busy');
    expect(screen.getByText('abc123')).toBeTruthy();
  });
});

describe('RelativeTime', () => {
  it('shows the relative time with the absolute one on hover', () => {
    const iso = new Date(Date.now() - 3 * 60_000).toISOString();
    render(<RelativeTime iso={iso} />);
    const t = screen.getByText('3 min ago');
    expect(t.getAttribute('datetime')).toBe(iso);
    expect(t.getAttribute('title')).not.toBe('');
  });
});
