// Settings (/settings, admin): users, tokens, GitHub integration, branch mappings, outgoing webhooks (issue 11).
// Placeholder until its page lands.
export function SettingsPage() {
  return <h1 className="text-xl font-semibold">Settings</h1>;
}
