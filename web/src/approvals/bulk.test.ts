import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { voteOnEach } from './bulk';

describe('voteOnEach', () => {
  it('sends every vote and keeps each outcome, in order, when some are refused', async () => {
    const sent: string[] = [];
    const refusal = new ApiError(403, 'the user who started the execution may not approve it', 'forbidden');
    const out = await voteOnEach(['a', 'b', 'c'], async (id) => {
      sent.push(id);
      if (id === 'b') throw refusal;
      return { id };
    });
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(out).toEqual([
      { id: 'a', ok: true },
      { id: 'b', ok: false, error: refusal },
      { id: 'c', ok: true },
    ]);
  });
});
