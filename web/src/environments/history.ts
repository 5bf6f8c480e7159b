// Reading an environment's deployment history (GET …/history, newest
// first) like `helm history`: a rollback's label says which version it
// replaced and which it restored ("rollback v1.4.2 → v1.4.1"), and a row
// says whether it can be rolled back to and, if not, why. Pure.
import type { HistoryItem } from './types';
import { versionText } from './words';

export interface RollbackLabel {
  from: string | null; // the version running before the rollback (null: unknown)
  to: string; // the version it restored
  text: string; // "rollback v1.4.2 → v1.4.1", or "rollback to v1.4.1"
}

// The version that was current just before row i started: the newest
// older row that succeeded (a failed or rolled-back deployment never
// became current).
function previousCurrent(rows: HistoryItem[], i: number): HistoryItem | null {
  for (let j = i + 1; j < rows.length; j++) {
    const r = rows[j]!;
    if (r.status === 'success' || r.is_current) return r;
  }
  return null;
}

export function rollbackLabel(rows: HistoryItem[], i: number): RollbackLabel | null {
  const row = rows[i];
  if (!row?.rollback_of) return null;
  const target = rows.find((r) => r.deployment_id === row.rollback_of);
  const to = versionText(target ?? row);
  const before = previousCurrent(rows, i);
  const from = before ? versionText(before) : null;
  return { from, to, text: from ? `rollback ${from} → ${to}` : `rollback to ${to}` };
}

// The row running now (the environment's current version), if listed.
export function currentRow(rows: HistoryItem[]): HistoryItem | null {
  return rows.find((r) => r.is_current) ?? null;
}

// Why this row cannot be the target of a rollback (null: it can). Roles
// are checked separately (permissions.ts).
export function rollbackTargetRefusal(row: HistoryItem): string | null {
  if (row.is_current) return 'This is the version running now';
  if (row.status !== 'success') return `Only a version that succeeded can be rolled back to (this one ${STATUS_WORDS[row.status] ?? row.status})`;
  return null;
}

const STATUS_WORDS: Record<string, string> = {
  failed: 'failed',
  rolled_back: 'was rolled back',
  cancelled: 'was cancelled',
  blocked: 'was blocked',
  pending: 'has not run yet',
  running: 'is still running',
};

// What the confirmation says: "Staging will run v1 (1111111) instead of v2 (2222222)".
export function rollbackConsequence(envName: string, current: HistoryItem | null, target: HistoryItem): string {
  const name = (r: HistoryItem) => {
    const v = versionText(r);
    const sha = r.commit_sha ? r.commit_sha.slice(0, 7) : null;
    return sha && sha !== v ? `${v} (${sha})` : v;
  };
  return current ? `${envName} will run ${name(target)} instead of ${name(current)}.` : `${envName} will run ${name(target)}.`;
}

export interface RollbacksAround {
  restored: { id: string; version: string } | null; // this rollback restored that deployment's version
  replaced: HistoryItem | null; // this rollback replaced that deployment
  replacedBy: HistoryItem | null; // a later rollback replaced this deployment
}

// The rollbacks a deployment took part in, from its environment's history:
// the one that replaced it (it caused), and, for a rollback, what it
// restored and what it replaced (what caused it).
export function rollbacksAround(rows: HistoryItem[], deploymentId: string): RollbacksAround {
  const i = rows.findIndex((r) => r.deployment_id === deploymentId);
  const none: RollbacksAround = { restored: null, replaced: null, replacedBy: null };
  if (i < 0) return none;
  const self = rows[i]!;
  const out = { ...none };
  if (self.rollback_of) {
    const target = rows.find((r) => r.deployment_id === self.rollback_of);
    out.restored = { id: self.rollback_of, version: versionText(target ?? self) };
    out.replaced = previousCurrent(rows, i);
  }
  for (let j = i - 1; j >= 0; j--) {
    const r = rows[j]!;
    if (r.rollback_of && previousCurrent(rows, j)?.deployment_id === deploymentId) {
      out.replacedBy = r;
      break;
    }
  }
  return out;
}
