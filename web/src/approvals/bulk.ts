// Approving several requests at once: every vote is sent, each answer is kept
// (one refusal, such as a 403 self-approval, never loses the others).
export interface BulkOutcome {
  id: string;
  ok: boolean;
  error?: unknown;
}

export async function voteOnEach(ids: readonly string[], vote: (id: string) => Promise<unknown>): Promise<BulkOutcome[]> {
  const settled = await Promise.allSettled(ids.map((id) => vote(id)));
  return settled.map((s, i) => (s.status === 'fulfilled' ? { id: ids[i]!, ok: true } : { id: ids[i]!, ok: false, error: s.reason }));
}
