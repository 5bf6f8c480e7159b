// One status vocabulary everywhere (UI.md): each status has a tone (colour),
// an icon and a word; colour is never the only signal.
export type Tone = 'ok' | 'bad' | 'run' | 'wait' | 'idle';

export interface StatusLook {
  tone: Tone;
  icon: string; // a glyph shown next to the word
  word: string;
}

const LOOKS: Record<string, StatusLook> = {
  success: { tone: 'ok', icon: '✓', word: 'Succeeded' },
  approved: { tone: 'ok', icon: '✓', word: 'Approved' },
  allowed: { tone: 'ok', icon: '✓', word: 'Allowed' },
  warning: { tone: 'wait', icon: '!', word: 'Succeeded with warnings' },
  failed: { tone: 'bad', icon: '✕', word: 'Failed' },
  rejected: { tone: 'bad', icon: '✕', word: 'Rejected' },
  blocked: { tone: 'wait', icon: '‖', word: 'Blocked' },
  running: { tone: 'run', icon: '◔', word: 'Running' },
  queued: { tone: 'wait', icon: '‖', word: 'Queued' },
  waiting: { tone: 'wait', icon: '‖', word: 'Waiting' },
  paused: { tone: 'wait', icon: '‖', word: 'Paused' },
  pending_approval: { tone: 'wait', icon: '‖', word: 'Waiting for approval' },
  pending: { tone: 'idle', icon: '○', word: 'Pending' },
  idle: { tone: 'idle', icon: '○', word: 'Not started' },
  cancelled: { tone: 'idle', icon: '⊘', word: 'Cancelled' },
  skipped: { tone: 'idle', icon: '↷', word: 'Skipped' },
};

export function statusLook(status: string | null | undefined): StatusLook {
  if (!status) return { tone: 'idle', icon: '○', word: 'Unknown' };
  return LOOKS[status] ?? { tone: 'idle', icon: '○', word: status.replace(/_/g, ' ') };
}

// Tailwind classes per tone (text colour on a faint background of the same tone).
export const TONE_CLASS: Record<Tone, string> = {
  ok: 'text-ok bg-ok/10 border-ok/40',
  bad: 'text-bad bg-bad/10 border-bad/40',
  run: 'text-run bg-run/10 border-run/40',
  wait: 'text-wait bg-wait/10 border-wait/40',
  idle: 'text-idle bg-idle/10 border-idle/40',
};
