// What failed and what to do, with the request id to quote (UI.md).
import { ApiError } from '../api/client';
import { Button } from './Button';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The server could not be reached. Check that it is running and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function ErrorState({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div role="alert" data-testid="error-state" className="flex flex-col items-start gap-2 rounded border border-bad/40 bg-bad/5 p-4">
      <p className="font-medium text-bad">{title}</p>
      <p className="text-sm">{errorText(error)}</p>
      {requestId && (
        <p className="text-xs text-muted">
          Request id <code className="font-mono select-all">{requestId}</code>
        </p>
      )}
      {onRetry && (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}
