// Confirming a destructive or production action (UI.md): the consequence
// spelled out, a reason required (it goes to the audit trail), Esc or Cancel
// closes. onConfirm may be async; while it runs the buttons wait, and a
// failure is shown in the dialog (with the request id) instead of closing.
import { useId, useState, type ReactNode } from 'react';
import { Button } from './Button';
import { errorText } from './ErrorState';
import { ApiError } from '../api/client';
import { Modal } from './Modal';

export interface ConfirmDialogProps {
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: (reason: string) => void | Promise<void>;
  onCancel: () => void;
  danger?: boolean;
  reasonRequired?: boolean; // default true
  reasonLabel?: string;
  reasonPlaceholder?: string;
}

export function ConfirmDialog({
  title,
  consequence,
  confirmLabel,
  onConfirm,
  onCancel,
  danger = true,
  reasonRequired = true,
  reasonLabel = 'Reason',
  reasonPlaceholder = 'Why? This goes to the audit trail.',
}: ConfirmDialogProps) {
  const titleId = useId();
  const textId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = reasonRequired && reason.trim() === '';

  const submit = async () => {
    if (missing || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy={titleId} describedBy={textId} onClose={onCancel} testId="confirm-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        className="flex flex-col gap-3"
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={textId} className="text-sm">
          {consequence}
        </div>
        <label htmlFor={reasonId} className="text-sm font-medium">
          {reasonLabel}
          {reasonRequired && <span className="text-muted"> (required)</span>}
        </label>
        <textarea
          id={reasonId}
          data-testid="confirm-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={reasonPlaceholder}
          rows={3}
          required={reasonRequired}
          className="rounded border border-border bg-surface-2 p-2 text-sm"
        />
        {error !== null && (
          <p role="alert" className="text-sm text-bad">
            {errorText(error)}
            {error instanceof ApiError && error.requestId && (
              <span className="text-muted"> (request id {error.requestId})</span>
            )}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button
            type="submit"
            variant={danger ? 'danger' : 'primary'}
            disabled={missing || busy}
            reason={missing ? 'Give a reason first' : busy ? 'Working…' : undefined}
            data-testid="confirm-submit"
          >
            {busy ? 'Working…' : confirmLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
