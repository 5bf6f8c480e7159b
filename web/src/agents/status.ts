// An agent's status in words (UI.md: colour is never the only signal, and a
// lost or disabled thing says why): "Lost — no heartbeat for 52 s, lease
// timeout 30 s". The lease timeout is the server's `agent-lease-timeout`
// (GET /api/v1/config, admins); others see the default, said as such. Pure.
import type { Tone } from '../ui/status';
import type { Agent } from './types';

export const DEFAULT_LEASE_TIMEOUT_MS = 30_000;

export interface LeaseTimeout {
  ms: number;
  known: boolean; // read from the server's configuration, not assumed
}

// The tone picks the badge's colour and icon (ui/status); the word and the
// reason are the agent's own.
export interface AgentStatusWords {
  tone: Tone;
  word: string;
  why: string;
}

// The server's duration text ("30s", "1m30s", "500ms", "2.5s") in ms; null
// when it is not one.
export function parseDurationText(text: string | null | undefined): number | null {
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec((text ?? '').trim());
  if (!m || !text || !m.slice(1).some(Boolean)) return null;
  const [h, min, s, ms] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number];
  return Math.round(((h * 60 + min) * 60 + s) * 1000 + ms);
}

export function leaseTimeoutFrom(config: Record<string, unknown> | undefined): LeaseTimeout {
  const ms = parseDurationText(typeof config?.['agent-lease-timeout'] === 'string' ? (config['agent-lease-timeout'] as string) : null);
  return ms === null ? { ms: DEFAULT_LEASE_TIMEOUT_MS, known: false } : { ms, known: true };
}

// "52 s", "3 min", "2 h", "4 d" (whole units, rounded down).
export function spanText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

const UNSURE = ' unless configured otherwise';

function leaseText(lease: LeaseTimeout): string {
  return `lease timeout ${spanText(lease.ms)}${lease.known ? '' : UNSURE}`;
}

// Milliseconds since the agent was last heard from; null if never.
export function silenceMs(agent: Pick<Agent, 'last_seen_at'>, now: number): number | null {
  const t = agent.last_seen_at ? Date.parse(agent.last_seen_at) : NaN;
  return Number.isFinite(t) ? Math.max(0, now - t) : null;
}

export function agentStatusWords(agent: Pick<Agent, 'status' | 'last_seen_at'>, now: number, lease: LeaseTimeout): AgentStatusWords {
  const silent = silenceMs(agent, now);
  const quiet = silent === null ? 'never heard from' : `no heartbeat for ${spanText(silent)}`;
  switch (agent.status) {
    case 'online':
      if (silent !== null && silent > lease.ms)
        return { tone: 'wait', word: 'Online', why: `${quiet}, ${leaseText(lease)}: about to be declared lost` };
      return {
        tone: 'ok',
        word: 'Online',
        why: silent === null ? 'registered, not yet polling' : `heard from ${spanText(silent)} ago; lost after ${spanText(lease.ms)} of silence${lease.known ? '' : UNSURE}`,
      };
    case 'lost':
      return { tone: 'bad', word: 'Lost', why: `${quiet}, ${leaseText(lease)}; its jobs were retried or failed` };
    case 'disabled':
      return { tone: 'idle', word: 'Disabled', why: 'disabled by an admin: its token no longer works' };
    default:
      return { tone: 'idle', word: String(agent.status).replace(/_/g, ' '), why: '' };
  }
}

// "1 of 2 used, 1 free" (the running jobs against the agent's concurrency).
export function capacityText(agent: Pick<Agent, 'running_jobs' | 'concurrency' | 'status'>): string {
  const used = Math.max(0, agent.running_jobs);
  if (agent.status !== 'online') return used > 0 ? `${used} running, takes no new work` : 'takes no work';
  const free = Math.max(0, agent.concurrency - used);
  return `${used} of ${agent.concurrency} used, ${free} free`;
}
