// The dashboard's layout editor: each section with a "Show" checkbox and
// "Move up" / "Move down" buttons (plain buttons, so the keyboard does
// everything; focus follows the moved section). "Save" keeps the arrangement
// as the user's default layout; "Reset to default" deletes it. Both may be
// async; while one runs the buttons wait, a failure is shown in the dialog
// and it stays open; on success the caller closes it (onClose).
import { useEffect, useId, useRef, useState } from 'react';
import { FormError } from '../../settings/FormError';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { isDefaultArrangement, moveSection, sectionLabel, setVisible, type SectionId, type SectionState } from './sections';

export interface CustomizeDialogProps {
  sections: SectionState[];
  saved: boolean; // whether the user has a stored layout (else Reset has nothing to delete)
  onSave: (sections: SectionState[]) => Promise<unknown>;
  onReset: () => Promise<unknown>;
  onClose: () => void;
}

type Focus = { id: SectionId; delta: -1 | 1 } | null;

export function CustomizeDialog({ sections: initial, saved, onSave, onReset, onClose }: CustomizeDialogProps) {
  const titleId = useId();
  const textId = useId();
  const [sections, setSections] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [focus, setFocus] = useState<Focus>(null);
  const list = useRef<HTMLOListElement>(null);

  // After a move, focus the same button on the moved section (or its other
  // move button when it reached an end), so arrow-free keyboard use works.
  useEffect(() => {
    if (!focus || !list.current) return;
    const button = (delta: number) =>
      list.current?.querySelector<HTMLButtonElement>(`[data-move="${focus.id}"][data-delta="${delta}"]`);
    const same = button(focus.delta);
    const target = same && same.getAttribute('aria-disabled') !== 'true' ? same : button(-focus.delta);
    target?.focus();
  }, [focus, sections]);

  const run = async (action: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      setBusy(false);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const last = sections.length - 1;
  return (
    <Modal labelledBy={titleId} describedBy={textId} onClose={onClose} testId="customize-dialog" className="w-[34rem]">
      <div className="flex flex-col gap-3">
        <h2 id={titleId} className="text-lg font-semibold">
          Customize the dashboard
        </h2>
        <p id={textId} className="text-sm text-muted">
          Choose which sections the dashboard shows and in what order. Saved for you only; others keep their own.
        </p>
        <ol ref={list} aria-label="Dashboard sections" className="flex flex-col divide-y divide-border rounded border border-border">
          {sections.map((s, i) => {
            const label = sectionLabel(s.id);
            return (
              <li key={s.id} data-testid="layout-row" data-section={s.id} className="flex items-center justify-between gap-2 px-3 py-1.5">
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={s.visible}
                    data-testid="layout-visible"
                    onChange={(e) => setSections(setVisible(sections, s.id, e.target.checked))}
                  />
                  <span>
                    {label}
                    {!s.visible && <span className="ml-1 text-xs text-muted">(hidden)</span>}
                  </span>
                </label>
                <span className="flex gap-1">
                  {([-1, 1] as const).map((delta) => {
                    const atEnd = delta === -1 ? i === 0 : i === last;
                    const word = delta === -1 ? 'up' : 'down';
                    return (
                      <Button
                        key={delta}
                        size="sm"
                        variant="ghost"
                        data-move={s.id}
                        data-delta={delta}
                        aria-label={`Move ${label} ${word}`}
                        disabled={atEnd}
                        reason={atEnd ? `${label} is already ${delta === -1 ? 'first' : 'last'}` : undefined}
                        onClick={() => {
                          setSections(moveSection(sections, i, delta));
                          setFocus({ id: s.id, delta });
                        }}
                      >
                        <span aria-hidden="true">{delta === -1 ? '↑' : '↓'}</span>
                      </Button>
                    );
                  })}
                </span>
              </li>
            );
          })}
        </ol>
        <FormError error={error} />
        <div className="flex items-center justify-between gap-2">
          <Button
            variant="ghost"
            data-testid="layout-reset"
            disabled={busy || (!saved && isDefaultArrangement(sections))}
            reason={busy ? 'Working…' : 'The dashboard already shows the default arrangement'}
            onClick={() => void run(saved ? onReset : async () => undefined)}
          >
            Reset to default
          </Button>
          <span className="flex gap-2">
            <Button onClick={onClose}>Cancel</Button>
            <Button
              variant="primary"
              data-testid="layout-save"
              disabled={busy}
              reason="Working…"
              onClick={() => void run(() => onSave(sections))}
            >
              Save
            </Button>
          </span>
        </div>
      </div>
    </Modal>
  );
}
