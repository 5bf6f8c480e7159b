// A secret the server will never show again (a new API token, a webhook
// secret just set): the value in full, a copy button, the warning, and a
// button to put it away.
import { Button } from '../ui/Button';
import { CopyButton } from './CopyButton';

export function OnceSecret({
  title,
  value,
  testId,
  warning,
  onDone,
}: {
  title: string;
  value: string;
  testId: string;
  warning: string;
  onDone: () => void;
}) {
  return (
    <div role="region" aria-label={title} className="flex flex-col gap-2 rounded border border-wait/50 bg-wait/10 p-3">
      <p className="text-sm font-medium">{title}</p>
      <div className="flex items-center gap-2">
        <code data-testid={testId} className="min-w-0 flex-1 rounded border border-border bg-surface px-2 py-1 font-mono text-sm break-all select-all">
          {value}
        </code>
        <CopyButton value={value} testId={`${testId}-copy`} />
      </div>
      <p className="text-xs text-wait">
        <span aria-hidden="true">⚠ </span>
        {warning}
      </p>
      <div>
        <Button size="sm" onClick={onDone}>
          I saved it
        </Button>
      </div>
    </div>
  );
}
