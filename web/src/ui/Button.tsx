// The one button. Variants by weight (primary, secondary, danger, ghost).
// A button the user may not press says why: with `reason`, it stays
// focusable, is aria-disabled, shows the reason on hover (title) and gives it
// to screen readers (aria-describedby); clicks do nothing.
import { useId, type ButtonHTMLAttributes, type MouseEvent } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

const VARIANT: Record<ButtonVariant, string> = {
  primary: 'bg-accent text-surface border-accent hover:opacity-90',
  secondary: 'bg-surface text-fg border-border hover:bg-surface-2',
  danger: 'bg-bad text-surface border-bad hover:opacity-90',
  ghost: 'bg-transparent text-fg border-transparent hover:bg-surface-2',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  reason?: string; // why it is disabled (shown when `disabled`)
}

export function Button({
  variant = 'secondary',
  size = 'md',
  disabled,
  reason,
  className = '',
  onClick,
  type = 'button',
  children,
  ...rest
}: ButtonProps) {
  const reasonId = useId();
  const explained = Boolean(disabled && reason);
  const sizing = size === 'sm' ? 'px-2 py-1 text-xs' : 'px-3 py-1.5 text-sm';
  const look = disabled ? 'opacity-50 cursor-not-allowed' : 'cursor-pointer';
  const click = (e: MouseEvent<HTMLButtonElement>) => {
    if (disabled) {
      e.preventDefault();
      return;
    }
    onClick?.(e);
  };
  return (
    <>
      <button
        type={type}
        {...rest}
        disabled={disabled && !explained}
        aria-disabled={explained || undefined}
        aria-describedby={explained ? reasonId : rest['aria-describedby']}
        title={explained ? reason : rest.title}
        onClick={click}
        className={`inline-flex items-center justify-center gap-1.5 rounded border font-medium ${sizing} ${VARIANT[variant]} ${look} ${className}`}
      >
        {children}
      </button>
      {explained && (
        <span id={reasonId} className="sr-only">
          {reason}
        </span>
      )}
    </>
  );
}
