// A confirmation for the environment actions (lock, unlock, rollback,
// emergency stop, hold release): the consequence spelled out, a reason when
// the action takes one, extra fields (the stop's mode) as children. Like
// ui/ConfirmDialog, but with the page's test ids on the reason and the
// confirm button, and the server's refusal shown verbatim inside the dialog
// (with the request id) instead of closing it.
import { useId, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Button } from '../ui/Button';
import { errorText } from '../ui/ErrorState';
import { Modal } from '../ui/Modal';

export interface ReasonDialogProps {
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
  askReason?: boolean; // default true (then required)
  reasonPlaceholder?: string;
  reasonTestId?: string;
  confirmTestId?: string;
  danger?: boolean;
  children?: ReactNode;
}

export function ReasonDialog({
  title,
  consequence,
  confirmLabel,
  onConfirm,
  onClose,
  askReason = true,
  reasonPlaceholder = 'Why? This goes to the audit trail.',
  reasonTestId = 'confirm-reason',
  confirmTestId = 'confirm-submit',
  danger = true,
  children,
}: ReasonDialogProps) {
  const titleId = useId();
  const textId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = askReason && reason.trim() === '';

  const submit = async () => {
    if (missing || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy={titleId} describedBy={textId} onClose={onClose} testId="reason-dialog">
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
        {children}
        {askReason && (
          <>
            <label htmlFor={reasonId} className="text-sm font-medium">
              Reason <span className="text-muted">(required)</span>
            </label>
            <textarea
              id={reasonId}
              data-testid={reasonTestId}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={reasonPlaceholder}
              rows={3}
              required
              className="rounded border border-border bg-surface-2 p-2 text-sm"
            />
          </>
        )}
        {error !== null && (
          <p role="alert" data-testid="action-refusal" className="text-sm text-bad">
            {errorText(error)}
            {error instanceof ApiError && error.requestId && <span className="text-muted"> (request id {error.requestId})</span>}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant={danger ? 'danger' : 'primary'}
            disabled={missing || busy}
            reason={missing ? 'Give a reason first' : busy ? 'Working…' : undefined}
            data-testid={confirmTestId}
          >
            {busy ? 'Working…' : confirmLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
