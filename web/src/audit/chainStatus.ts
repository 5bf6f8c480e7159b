// What the page says about the audit chain (docs/audit.md). Pure: from the
// verification's answer (or why there is none) to a tone and one sentence.
import { ApiError } from '../api/client';
import type { ChainVerification } from './types';

export interface ChainStatusText {
  tone: 'ok' | 'bad' | 'idle';
  text: string;
  detail?: string;
}

export function shortHash(hash: string | null | undefined, n = 12): string {
  if (!hash) return '—';
  return hash.length > n ? hash.slice(0, n) + '…' : hash;
}

export function chainStatusText(v: ChainVerification): ChainStatusText {
  if (!v.ok) {
    const where = v.broken_at !== null ? `Chain broken at row ${v.broken_at}` : 'Chain broken';
    const upTo = v.verified_up_to ? `Rows 1–${v.verified_up_to} are intact.` : 'No row before it is intact.';
    return {
      tone: 'bad',
      text: v.problem ? `${where}: ${v.problem}` : where,
      detail: `${upTo} Someone changed, removed or slipped in an entry; compare with a stored export or head.`,
    };
  }
  if (v.rows === 0) return { tone: 'idle', text: 'No audit entries yet: nothing to verify.' };
  return {
    tone: 'ok',
    text: `Chain verified up to row ${v.verified_up_to ?? v.rows} (head ${shortHash(v.head_hash)})`,
    detail: `${v.rows} ${v.rows === 1 ? 'entry' : 'entries'} checked.`,
  };
}

// Why there is no verification to show.
export function chainUnavailableText(error: unknown, isAdmin: boolean): ChainStatusText {
  if (!isAdmin || (error instanceof ApiError && error.status === 403))
    return {
      tone: 'idle',
      text: 'Verifying the chain is an admin action.',
      detail: 'Ask an admin, or run `opzenix audit verify` on the server.',
    };
  if (error instanceof ApiError && error.status === 404)
    return { tone: 'idle', text: 'This server cannot verify the chain from the web UI.', detail: 'Run `opzenix audit verify` on the server.' };
  return { tone: 'bad', text: 'Could not verify the chain.', detail: error instanceof Error ? error.message : undefined };
}
