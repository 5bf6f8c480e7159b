// Confirming a destructive or production action (UI.md): the consequence
// spelled out, a reason required (it goes to the audit trail) unless the
// action takes none (askReason false), extra fields as children, Esc or
// Cancel closes. onConfirm may be async; while it runs the buttons wait, and a
// failure (a governance refusal, verbatim) is shown in the dialog with the
// request id instead of closing. With closeOnSuccess the dialog closes itself
// (onCancel) once onConfirm resolves; otherwise the caller unmounts it.
import { useId, useState, type ReactNode } from 'react';
import { Button } from './Button';
import { errorText } from './ErrorState';
import { ApiError } from '../api/client';
import { Modal } from './Modal';

export interface ConfirmDialogProps {
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: (reason: string) => unknown;
  onCancel: () => void;
  danger?: boolean;
  askReason?: boolean; // default true: the reason box is shown
  reasonRequired?: boolean; // default true
  reasonLabel?: string;
  reasonPlaceholder?: string;
  closeOnSuccess?: boolean; // default false
  testId?: string; // the dialog's; default confirm-dialog
  reasonTestId?: string; // default confirm-reason
  confirmTestId?: string; // default confirm-submit
  children?: ReactNode; // extra fields between the consequence and the reason
}

export function ConfirmDialog({
  title,
  consequence,
  confirmLabel,
  onConfirm,
  onCancel,
  danger = true,
  askReason = true,
  reasonRequired = true,
  reasonLabel = 'Reason',
  reasonPlaceholder = 'Why? This goes to the audit trail.',
  closeOnSuccess = false,
  testId = 'confirm-dialog',
  reasonTestId = 'confirm-reason',
  confirmTestId = 'confirm-submit',
  children,
}: ConfirmDialogProps) {
  const titleId = useId();
  const textId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = askReason && reasonRequired && reason.trim() === '';

  const submit = async () => {
    if (missing || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim());
      setBusy(false);
      if (closeOnSuccess) onCancel();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy={titleId} describedBy={textId} onClose={onCancel} testId={testId}>
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
              {reasonLabel}
              {reasonRequired && <span className="text-muted"> (required)</span>}
            </label>
            <textarea
              id={reasonId}
              data-testid={reasonTestId}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={reasonPlaceholder}
              rows={3}
              required={reasonRequired}
              className="rounded border border-border bg-surface-2 p-2 text-sm"
            />
          </>
        )}
        {error !== null && (
          <p role="alert" data-testid="action-refusal" className="text-sm text-bad">
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
            data-testid={confirmTestId}
          >
            {busy ? 'Working…' : confirmLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
