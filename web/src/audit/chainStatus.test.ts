import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { chainStatusText, chainUnavailableText, shortHash } from './chainStatus';

const head = 'ab12cd34ef56'.padEnd(64, '9');

describe('chain status wording', () => {
  it('names the last verified row and the head', () => {
    const s = chainStatusText({ ok: true, rows: 120, verified_up_to: 120, head_hash: head, broken_at: null, problem: null });
    expect(s.tone).toBe('ok');
    expect(s.text).toBe('Chain verified up to row 120 (head ab12cd34ef56…)');
    expect(s.detail).toBe('120 entries checked.');
  });

  it('shows the break in red with the problem and what is still intact', () => {
    const s = chainStatusText({ ok: false, rows: 9, verified_up_to: 3, head_hash: null, broken_at: 4, problem: 'deleted: seq 3 is missing before it' });
    expect(s.tone).toBe('bad');
    expect(s.text).toBe('Chain broken at row 4: deleted: seq 3 is missing before it');
    expect(s.detail).toContain('Rows 1–3 are intact.');
  });

  it('says a break at the first row leaves nothing intact', () => {
    const s = chainStatusText({ ok: false, rows: 2, verified_up_to: 0, head_hash: null, broken_at: 1, problem: null });
    expect(s.text).toBe('Chain broken at row 1');
    expect(s.detail).toContain('No row before it is intact.');
  });

  it('says there is nothing to verify on an empty log', () => {
    expect(chainStatusText({ ok: true, rows: 0, verified_up_to: 0, head_hash: null, broken_at: null, problem: null }).text).toBe(
      'No audit entries yet: nothing to verify.',
    );
  });

  it('explains that verification is an admin action', () => {
    expect(chainUnavailableText(undefined, false).text).toBe('Verifying the chain is an admin action.');
    expect(chainUnavailableText(new ApiError(403, 'forbidden', 'forbidden'), true).text).toBe('Verifying the chain is an admin action.');
    expect(chainUnavailableText(new ApiError(404, 'no route', 'not_found'), true).text).toContain('cannot verify');
    expect(chainUnavailableText(new ApiError(500, 'db down', 'internal'), true)).toMatchObject({ tone: 'bad', detail: 'db down' });
  });

  it('shortens hashes', () => {
    expect(shortHash(head)).toBe('ab12cd34ef56…');
    expect(shortHash('abc')).toBe('abc');
    expect(shortHash(null)).toBe('—');
  });
});
