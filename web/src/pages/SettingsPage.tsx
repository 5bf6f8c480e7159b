// Settings (/settings/:section): users and roles, API tokens, the GitHub
// integration, branch mappings, outgoing webhooks, secrets and connections,
// one tab each (the section is in the URL). Admin sections show others an
// "admins only" state; everyone has their API tokens, can read and test the
// branch mappings and read secret names and connections.
import { Navigate, useParams } from 'react-router';
import { AdminOnly } from '../settings/AdminOnly';
import { SectionBody } from '../settings/SectionBody';
import { routeFor, SECTIONS } from '../settings/sections';
import { SettingsTabs } from '../settings/SettingsTabs';
import { useSession } from '../shell/useSession';
import { EmptyState } from '../ui/EmptyState';

export function SettingsPage() {
  const { section } = useParams();
  const session = useSession();
  const role = session?.user.role ?? 'viewer';
  const isAdmin = role === 'admin';
  const route = routeFor(section, isAdmin);
  if (route.kind === 'redirect') return <Navigate to={route.to} replace />;

  return (
    <section aria-labelledby="settings-title" className="flex flex-col gap-4">
      <div>
        <h1 id="settings-title" className="text-xl font-semibold">
          Settings
        </h1>
        {route.kind === 'section' && <p className="text-sm text-muted">{route.section.summary}</p>}
      </div>
      <SettingsTabs isAdmin={isAdmin} />
      {route.kind === 'unknown' ? (
        <EmptyState title={`There is no settings section “${route.name}”`}>The sections are: {SECTIONS.map((s) => s.label).join(', ')}.</EmptyState>
      ) : route.allowed ? (
        <div data-testid="settings-section" data-section={route.section.id}>
          <h2 className="sr-only">{route.section.label}</h2>
          <SectionBody id={route.section.id} actorId={session?.user.id ?? ''} actorRole={role} />
        </div>
      ) : (
        <AdminOnly section={route.section} />
      )}
    </section>
  );
}
