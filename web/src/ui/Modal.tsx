// A modal layer: a labelled dialog over a dimmed page, focus moved in and
// trapped, Esc closes, focus goes back where it was on close.
import { useEffect, useRef, type ReactNode } from 'react';
import { focusables, trapTab } from './focusTrap';

export function Modal({
  labelledBy,
  describedBy,
  onClose,
  children,
  className = 'w-[32rem]',
  testId,
}: {
  labelledBy: string;
  describedBy?: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const root = box.current;
    if (root) (focusables(root)[0] ?? root).focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-black/40 pt-[12vh]" onMouseDown={onClose}>
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        data-testid={testId}
        tabIndex={-1}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          } else if (box.current) trapTab(box.current, e);
        }}
        className={`max-w-[90vw] rounded-lg border border-border bg-surface p-5 text-fg shadow-xl ${className}`}
      >
        {children}
      </div>
    </div>
  );
}
