// The settings sections, each a tab with its own URL (/settings/<id>). Pure.
// Admin sections show non-admins an "admins only" state instead of their
// content; everyone manages their own API tokens and may read the branch
// mappings (and test them), which only admins change.
export type SectionId = 'users' | 'tokens' | 'github' | 'branch-mappings' | 'webhooks' | 'secrets' | 'connections' | 'advisory-rules';

export interface Section {
  id: SectionId;
  label: string;
  adminOnly: boolean;
  summary: string;
}

export const SECTIONS: Section[] = [
  { id: 'users', label: 'Users and roles', adminOnly: true, summary: 'Who can sign in, and what each role may do.' },
  { id: 'tokens', label: 'API tokens', adminOnly: false, summary: 'Personal tokens for scripts and the CLI; each acts as you.' },
  { id: 'github', label: 'GitHub', adminOnly: true, summary: 'A project’s webhook from GitHub, and the deliveries it received.' },
  { id: 'branch-mappings', label: 'Branch mappings', adminOnly: false, summary: 'Which branch or tag deploys to which environment.' },
  { id: 'webhooks', label: 'Outgoing webhooks', adminOnly: true, summary: 'Where a project’s events are posted, and how each delivery went.' },
  { id: 'secrets', label: 'Secrets', adminOnly: false, summary: 'Encrypted values a pipeline’s steps receive as environment variables; names only, never values.' },
  { id: 'connections', label: 'Connections', adminOnly: false, summary: 'External services Opzenix checks (GitHub, registries, telemetry, HTTP) and their health.' },
  { id: 'advisory-rules', label: 'Advisory rules', adminOnly: false, summary: 'When the advisory scan raises an advisory: each rule’s threshold, window and severity, globally or for one project.' },
];

export type SectionRoute =
  | { kind: 'redirect'; to: string }
  | { kind: 'section'; section: Section; allowed: boolean }
  | { kind: 'unknown'; name: string };

// /settings (no section) opens the first section the user may use.
export function routeFor(sectionParam: string | undefined, isAdmin: boolean): SectionRoute {
  if (!sectionParam) return { kind: 'redirect', to: `/settings/${isAdmin ? 'users' : 'tokens'}` };
  const section = SECTIONS.find((s) => s.id === sectionParam);
  if (!section) return { kind: 'unknown', name: sectionParam };
  return { kind: 'section', section, allowed: isAdmin || !section.adminOnly };
}
