// The server has no master key (PUT answered 503): secrets cannot be stored
// until an admin creates one on the server's machine. The server reads the
// key file on the next request, so no restart is needed.
import { ApiError } from '../api/client';

export function isNoMasterKey(error: unknown): boolean {
  return error instanceof ApiError && error.status === 503;
}

export function NoMasterKey({ error }: { error: ApiError }) {
  return (
    <div role="alert" data-testid="secrets-no-master-key" className="flex flex-col gap-1 rounded border border-wait/40 bg-wait/10 p-3 text-sm">
      <p className="font-medium">Secrets cannot be stored yet: the server has no master key.</p>
      <p>
        On the server’s machine, as the user that runs it, run <code className="font-mono select-all">opzenix secrets init</code> (add the server’s{' '}
        <code className="font-mono">--data-dir</code> if it is not the default), then save again. Keep the key file it writes backed up: without it no
        secret can be read.
      </p>
      <p className="text-xs text-muted">
        The server said: {error.message}
        {error.requestId && ` (request id ${error.requestId})`}
      </p>
    </div>
  );
}
