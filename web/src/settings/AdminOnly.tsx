// What a non-admin sees in an admin section: what it is for, that only
// admins manage it, and who to ask.
import { Link } from 'react-router';
import type { Section } from './sections';

export function AdminOnly({ section }: { section: Section }) {
  return (
    <div data-testid="admins-only" className="flex flex-col items-start gap-2 rounded border border-dashed border-border bg-surface p-6">
      <p className="font-medium">
        <span aria-hidden="true">🔒 </span>
        {section.label}: admins only
      </p>
      <p className="text-sm text-muted">{section.summary} Only admins can see and change this; ask an admin if something here needs to change.</p>
      <Link to="/settings/tokens" className="text-sm text-accent underline">
        Manage your own API tokens
      </Link>
    </div>
  );
}
