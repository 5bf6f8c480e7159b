import { describe, expect, it } from 'vitest';
import { apiQuery, clearedFilters, filtersFromParams, isFiltered, isoToLocalInput, localInputToIso, withFilter } from './filters';

describe('audit filters ⇄ URL', () => {
  it('reads every filter from its URL parameter', () => {
    const f = filtersFromParams(
      new URLSearchParams('user=u1&action=user.created&resource_type=project&resource_id=p9&from=2026-12-01T00:00:00.000Z&to=2026-12-02T10:30:00.000Z'),
    );
    expect(f).toEqual({
      user: 'u1',
      action: 'user.created',
      resourceType: 'project',
      resourceId: 'p9',
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T10:30:00.000Z',
    });
    expect(isFiltered(f)).toBe(true);
  });

  it('drops a time that is not a time, so the server never gets garbage', () => {
    const f = filtersFromParams(new URLSearchParams('from=yesterday&action=%20x%20'));
    expect(f.from).toBe('');
    expect(f.action).toBe('x');
  });

  it('sets and removes one filter, keeping the others and unrelated params', () => {
    const start = new URLSearchParams('action=a&tab=x');
    const set = withFilter(start, 'resourceType', ' project ');
    expect(set.get('resource_type')).toBe('project');
    expect(set.get('action')).toBe('a');
    const removed = withFilter(set, 'action', '');
    expect(removed.has('action')).toBe(false);
    expect(removed.get('tab')).toBe('x');
    expect(start.get('action')).toBe('a'); // not mutated
  });

  it('clears every filter but nothing else', () => {
    const cleared = clearedFilters(new URLSearchParams('user=u&action=a&from=2026-12-01T00:00:00Z&tab=x'));
    expect(cleared.toString()).toBe('tab=x');
    expect(isFiltered(filtersFromParams(cleared))).toBe(false);
  });

  it('sends user_id only for admins (the server refuses others a foreign user)', () => {
    const f = filtersFromParams(new URLSearchParams('user=u2&action=token.created'));
    expect(apiQuery(f, true, 'c1', 500)).toMatchObject({ user_id: 'u2', action: 'token.created', cursor: 'c1', limit: 500 });
    expect(apiQuery(f, false).user_id).toBeUndefined();
  });

  it('round-trips local input times through ISO UTC', () => {
    const iso = localInputToIso('2026-12-05T14:30');
    expect(iso).toMatch(/^2026-12-0[456]T\d\d:30:00\.000Z$/);
    expect(isoToLocalInput(iso)).toBe('2026-12-05T14:30');
    expect(localInputToIso('')).toBe('');
    expect(isoToLocalInput('not a time')).toBe('');
  });
});
