// The settings sections as tabs; each is a link (the section is in the URL).
// Admin sections are marked for non-admins, who see their "admins only"
// state when they open one.
import { NavLink } from 'react-router';
import { SECTIONS } from './sections';

export function SettingsTabs({ isAdmin }: { isAdmin: boolean }) {
  return (
    <nav aria-label="Settings sections" className="flex gap-1 border-b border-border">
      {SECTIONS.map((s) => (
        <NavLink
          key={s.id}
          to={`/settings/${s.id}`}
          data-testid="settings-tab"
          data-section={s.id}
          className={({ isActive }) =>
            `-mb-px rounded-t border px-3 py-1.5 text-sm ${
              isActive ? 'border-border border-b-surface bg-surface font-medium text-fg' : 'border-transparent text-muted hover:text-fg'
            }`
          }
        >
          {s.label}
          {s.adminOnly && !isAdmin && <span className="ml-1 text-xs text-muted">(admins)</span>}
        </NavLink>
      ))}
    </nav>
  );
}
