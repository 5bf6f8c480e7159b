// A failed form submission: the server's message, the field it names and the
// request id to quote.
import { ApiError } from '../api/client';
import { errorText } from '../ui/ErrorState';

export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined;
}

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <p role="alert" className="text-sm text-bad">
      {errorText(error)}
      {requestId && <span className="text-muted"> (request id {requestId})</span>}
    </p>
  );
}
