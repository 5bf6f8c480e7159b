// Copies a value to the clipboard and says so for a moment.
import { useState } from 'react';
import { Button } from '../ui/Button';

export function CopyButton({ value, label = 'Copy', testId }: { value: string; label?: string; testId?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 2000);
  };
  return (
    <Button size="sm" data-testid={testId} onClick={() => void copy()} aria-live="polite">
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select and copy it' : label}
    </Button>
  );
}
