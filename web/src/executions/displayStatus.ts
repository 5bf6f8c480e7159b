// The status a row shows: a held or refused execution says so (Waiting for
// approval, Waiting, Blocked) rather than "Paused" or "Failed".
import type { Execution } from '../api/types';

export function displayStatus(e: Pick<Execution, 'status' | 'governance_status' | 'blocked_reason'>): string {
  const gov: string | null = e.governance_status;
  if (gov === 'pending_approval' || gov === 'waiting') return gov;
  if (gov === 'blocked' || (e.status === 'failed' && e.blocked_reason)) return 'blocked';
  return e.status;
}

export const isActive = (status: string) => status === 'running' || status === 'paused' || status === 'idle';
