// The text summary above the graph: "12 nodes: 8 succeeded, 1 running,
// 1 failed, 2 pending" — what a screen reader hears and what a glance needs. Pure.
const ORDER: [status: string, word: string][] = [
  ['success', 'succeeded'],
  ['running', 'running'],
  ['failed', 'failed'],
  ['waiting', 'waiting'],
  ['paused', 'paused'],
  ['queued', 'queued'],
  ['pending', 'pending'],
  ['skipped', 'skipped'],
  ['cancelled', 'cancelled'],
];

export function countByStatus(statuses: Iterable<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of statuses) m.set(s, (m.get(s) ?? 0) + 1);
  return m;
}

export function summaryText(statuses: Iterable<string>): string {
  const counts = countByStatus(statuses);
  let total = 0;
  counts.forEach((n) => (total += n));
  const parts: string[] = [];
  for (const [status, word] of ORDER) {
    const n = counts.get(status);
    if (n) parts.push(`${n} ${word}`);
  }
  counts.forEach((n, status) => {
    if (!ORDER.some(([s]) => s === status)) parts.push(`${n} ${status.replace(/_/g, ' ')}`);
  });
  const head = `${total} ${total === 1 ? 'node' : 'nodes'}`;
  return parts.length ? `${head}: ${parts.join(', ')}` : head;
}
