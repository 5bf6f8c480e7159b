// A confirmation for the environment actions (lock, unlock, rollback,
// emergency stop, hold release): ui/ConfirmDialog with the page's test ids,
// closing itself once the action succeeded; the server's refusal stays
// inside the dialog, verbatim.
import { ConfirmDialog, type ConfirmDialogProps } from '../ui/ConfirmDialog';

export interface ReasonDialogProps
  extends Omit<ConfirmDialogProps, 'onCancel' | 'closeOnSuccess' | 'testId' | 'reasonRequired' | 'reasonLabel'> {
  onClose: () => void;
}

export function ReasonDialog({ onClose, ...props }: ReasonDialogProps) {
  return <ConfirmDialog {...props} onCancel={onClose} closeOnSuccess testId="reason-dialog" />;
}
