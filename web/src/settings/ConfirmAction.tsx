// Confirming a destructive settings action that takes no reason (revoking a
// token, removing a webhook): ui/ConfirmDialog without the reason box; a
// failure is shown in the dialog with the request id.
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../ui/ConfirmDialog';

export function ConfirmAction({
  onConfirm,
  ...props
}: {
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  onCancel: () => void;
}) {
  return <ConfirmDialog {...props} askReason={false} onConfirm={() => onConfirm()} />;
}
