// The content of one settings section (the admin gate is in SettingsPage).
import { AdvisoryRulesSection } from '../advisories/AdvisoryRulesSection';
import { BranchMappingsSection } from './BranchMappingsSection';
import { ConnectionsSection } from './ConnectionsSection';
import { GithubSection } from './GithubSection';
import { SecretsSection } from './SecretsSection';
import type { SectionId } from './sections';
import { TokensSection } from './TokensSection';
import { UsersSection } from './UsersSection';
import { WebhooksSection } from './WebhooksSection';

export function SectionBody({ id, actorId, actorRole }: { id: SectionId; actorId: string; actorRole: string }) {
  const isAdmin = actorRole === 'admin';
  return {
    users: <UsersSection actorId={actorId} actorRole={actorRole} />,
    tokens: <TokensSection />,
    github: <GithubSection />,
    'branch-mappings': <BranchMappingsSection isAdmin={isAdmin} />,
    webhooks: <WebhooksSection />,
    secrets: <SecretsSection />,
    connections: <ConnectionsSection />,
    'advisory-rules': <AdvisoryRulesSection isAdmin={isAdmin} />,
  }[id];
}
