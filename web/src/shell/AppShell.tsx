// The app's frame for signed-in pages: skip link, left navigation, top bar
// (project switcher, search, notifications, user menu), the emergency-stop banner, one
// content column, the `?` overlay. Without a session it sends you to the
// login page and back here afterwards; a 401 mid-session does the same with
// "your session expired".
import { useCallback, useEffect, useRef, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { onSessionExpired } from '../api/client';
import { NotificationBell } from '../notifications/NotificationBell';
import { EmergencyStopBanner } from './EmergencyStopBanner';
import { HelpOverlay } from './HelpOverlay';
import { loginPath } from './loginRedirect';
import { Navigation } from './Navigation';
import { ProjectSwitcher } from './ProjectSwitcher';
import { SearchBox } from './SearchBox';
import { useGlobalShortcuts } from './useGlobalShortcuts';
import { UserMenu } from './UserMenu';
import { useSession } from './useSession';

export function AppShell() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const here = location.pathname + location.search + location.hash;
  const hereRef = useRef(here);
  hereRef.current = here;
  const expired = useRef(false);

  useEffect(() => {
    onSessionExpired(() => {
      expired.current = true;
      navigate(loginPath(hereRef.current, true), { replace: true });
    });
  }, [navigate]);

  if (!session) return <Navigate to={loginPath(here, expired.current)} replace />;
  return <SignedIn session={session} />;
}

function SignedIn({ session }: { session: NonNullable<ReturnType<typeof useSession>> }) {
  const search = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);
  const openHelp = useCallback(() => setHelp(true), []);
  useGlobalShortcuts(search, openHelp);

  return (
    <div className="flex h-full min-w-[1024px] flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-surface focus:p-2">
        Skip to content
      </a>
      <header className="flex h-12 shrink-0 items-center gap-4 border-b border-border bg-surface px-4">
        <span className="w-44 text-base font-semibold tracking-tight">Opzenix</span>
        <ProjectSwitcher />
        <div className="flex-1" />
        <SearchBox ref={search} />
        <button
          type="button"
          onClick={openHelp}
          aria-label="Keyboard shortcuts"
          className="rounded border border-border px-2 py-0.5 text-sm text-muted hover:bg-surface-2"
        >
          ?
        </button>
        <NotificationBell />
        <UserMenu session={session} />
      </header>
      <EmergencyStopBanner selfId={session.user.id} />
      <div className="flex min-h-0 flex-1">
        <aside className="w-52 shrink-0 overflow-y-auto border-r border-border bg-surface">
          <Navigation />
        </aside>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 overflow-y-auto p-6 focus:outline-none">
          <Outlet />
        </main>
      </div>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
