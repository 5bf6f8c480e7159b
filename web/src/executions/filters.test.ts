import { describe, expect, it } from 'vitest';
import { withQuery } from '../api/client';
import { apiQuery, clearedFilters, filtersFromParams, isFiltered, withFilter } from './filters';
import { nextIndex } from './rowNavigation';

describe('filters ↔ URL', () => {
  it('reads every filter from the URL, the project falling back to the switcher', () => {
    const p = new URLSearchParams('status=failed&environment=Production&branch=main&trigger=push&page=2');
    expect(filtersFromParams(p, 'proj-1')).toEqual({
      status: 'failed',
      environment: 'Production',
      branch: 'main',
      project: 'proj-1',
      trigger: 'push',
    });
    expect(filtersFromParams(new URLSearchParams('project='), 'proj-1').project).toBe('');
    expect(filtersFromParams(new URLSearchParams('project=p2'), 'proj-1').project).toBe('p2');
  });

  it('writes one filter, keeping the others, and removes it when emptied', () => {
    let p = new URLSearchParams('status=failed');
    p = withFilter(p, 'branch', ' release/1.4 ');
    expect(p.toString()).toBe('status=failed&branch=release%2F1.4');
    p = withFilter(p, 'status', '');
    expect(p.toString()).toBe('branch=release%2F1.4');
    expect(withFilter(p, 'project', '').get('project')).toBe('');
    expect(clearedFilters(new URLSearchParams('status=failed&branch=x&tab=y')).toString()).toBe('tab=y&project=');
  });

  it('asks the API with its own parameter names', () => {
    const f = filtersFromParams(new URLSearchParams('status=running&project=p1&trigger=rollback'));
    expect(withQuery('/api/v1/executions', apiQuery(f, 'c2', 50))).toBe(
      '/api/v1/executions?status=running&project_id=p1&trigger_type=rollback&cursor=c2&limit=50',
    );
    expect(isFiltered(f)).toBe(true);
    expect(isFiltered(filtersFromParams(new URLSearchParams()))).toBe(false);
  });
});

describe('j/k', () => {
  it('moves within the rows and starts from the top (j) or bottom (k)', () => {
    expect(nextIndex(-1, 5, 'j')).toBe(0);
    expect(nextIndex(-1, 5, 'k')).toBe(4);
    expect(nextIndex(4, 5, 'j')).toBe(4);
    expect(nextIndex(0, 5, 'k')).toBe(0);
    expect(nextIndex(2, 5, 'j')).toBe(3);
    expect(nextIndex(-1, 0, 'j')).toBe(-1);
  });
});
