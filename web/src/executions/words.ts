// Enum values in words (UI.md: never raw enum names).
const TRIGGER_WORDS: Record<string, string> = {
  push: 'Push',
  pull_request: 'Pull request',
  tag: 'Tag',
  release: 'Release',
  manual: 'Manual',
  api: 'API',
  cli: 'CLI',
  poll: 'Poll',
  rerun: 'Rerun',
  replay: 'Replay',
  rollback: 'Rollback',
  promotion: 'Promotion',
};

export function triggerWord(trigger: string | null | undefined): string {
  if (!trigger) return '—';
  return TRIGGER_WORDS[trigger] ?? trigger.replace(/_/g, ' ');
}
