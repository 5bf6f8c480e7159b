// The app's one StreamHub, on the browser's EventSource and the session's
// token. Signing out closes every connection (they carry the old token).
import { currentToken, onSessionChange } from '../auth/session';
import { StreamHub } from './streamHub';

export const streamHub = new StreamHub({
  createEventSource: (url) => new EventSource(url),
  token: currentToken,
  timers: {
    now: () => Date.now(),
    setTimeout: (f, ms) => globalThis.setTimeout(f, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  },
  retryMs: 3000,
  idleCloseMs: 1000,
});

onSessionChange((s) => {
  if (!s) streamHub.closeAll();
});
