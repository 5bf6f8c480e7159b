// Confirming a destructive settings action that takes no reason (revoking a
// token, removing a webhook): the consequence spelled out, Cancel or the
// action; a failure is shown in the dialog with the request id.
import { useId, useState, type ReactNode } from 'react';
import { Button } from '../ui/Button';
import { Modal } from '../ui/Modal';
import { FormError } from './FormError';

export function ConfirmAction({
  title,
  consequence,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  onCancel: () => void;
}) {
  const titleId = useId();
  const textId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal labelledBy={titleId} describedBy={textId} onClose={onCancel} testId="confirm-dialog">
      <div className="flex flex-col gap-3">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={textId} className="text-sm">
          {consequence}
        </div>
        <FormError error={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="danger" data-testid="confirm-submit" onClick={() => void confirm()} disabled={busy} reason={busy ? 'Working…' : undefined}>
            {busy ? 'Working…' : confirmLabel}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
