// Who is signed in, the theme choice (system/light/dark) and sign out
// (POST /api/v1/auth/logout, then the session is cleared whatever the
// server said: signing out must always work).
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { post } from '../api/client';
import { clearSession, type Session } from '../auth/session';
import { applyTheme, storedTheme, type ThemeChoice } from './theme';
import { useClickAway } from '../ui/useClickAway';

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function UserMenu({ session }: { session: Session }) {
  const [open, setOpen] = useState(false);
  const [theme, setTheme] = useState<ThemeChoice>(storedTheme);
  const box = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const client = useQueryClient();

  const closeAway = useCallback(() => setOpen(false), []);
  useClickAway(box, open, closeAway);

  const logout = async () => {
    try {
      await post('/api/v1/auth/logout');
    } catch {
      /* the session ends here either way */
    }
    clearSession();
    client.clear();
    navigate('/login', { replace: true });
  };

  const name = session.user.full_name || session.user.email;
  return (
    <div
      ref={box}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <button
        type="button"
        data-testid="user-menu"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-surface-2"
      >
        <span aria-hidden="true" className="flex h-6 w-6 items-center justify-center rounded-full bg-accent/15 text-xs font-semibold text-accent">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span>{name}</span>
      </button>
      {open && (
        <div className="absolute right-0 z-40 mt-1 w-64 rounded border border-border bg-surface p-3 shadow-lg">
          <p className="text-sm font-medium">{session.user.email}</p>
          <p className="mb-3 text-xs text-muted">Role: {session.user.role}</p>
          <fieldset className="mb-3">
            <legend className="mb-1 text-xs font-medium text-muted">Theme</legend>
            <div className="flex gap-1">
              {THEMES.map((t) => (
                <label
                  key={t.value}
                  className={`cursor-pointer rounded border px-2 py-0.5 text-xs ${
                    theme === t.value ? 'border-accent bg-accent/10 text-accent' : 'border-border'
                  }`}
                >
                  <input
                    type="radio"
                    name="theme"
                    value={t.value}
                    checked={theme === t.value}
                    onChange={() => {
                      applyTheme(t.value);
                      setTheme(t.value);
                    }}
                    className="sr-only"
                  />
                  {t.label}
                </label>
              ))}
            </div>
          </fieldset>
          <button
            type="button"
            data-testid="logout"
            onClick={() => void logout()}
            className="w-full rounded border border-border px-2 py-1 text-left text-sm hover:bg-surface-2"
          >
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
