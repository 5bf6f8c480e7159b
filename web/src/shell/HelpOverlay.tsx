// The `?` overlay: every keyboard shortcut, in one table.
import { useId } from 'react';
import { Button } from '../ui/Button';
import { Modal } from '../ui/Modal';
import { SHORTCUTS } from './shortcuts';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  return (
    <Modal labelledBy={titleId} onClose={onClose} testId="help-overlay" className="w-[28rem]">
      <h2 id={titleId} className="mb-3 text-lg font-semibold">
        Keyboard shortcuts
      </h2>
      <table className="mb-4 w-full text-sm">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys} className="border-b border-border last:border-0">
              <td className="py-1.5 pr-4 whitespace-nowrap">
                <kbd className="rounded border border-border bg-surface-2 px-1.5 font-mono text-xs">{s.keys}</kbd>
              </td>
              <td className="py-1.5">{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex justify-end">
        <Button onClick={onClose}>Close</Button>
      </div>
    </Modal>
  );
}
