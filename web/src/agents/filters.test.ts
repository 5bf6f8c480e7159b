import { describe, expect, it } from 'vitest';
import { clearedFilters, filterAgents, filtersFromParams, isFiltered, labelChoices, statusCounts, toggledLabel, withStatus } from './filters';

const AGENTS = [
  { name: 'a', status: 'online', labels: ['linux', 'docker'] },
  { name: 'b', status: 'online', labels: ['linux', 'gpu'] },
  { name: 'c', status: 'lost', labels: ['linux', 'gpu'] },
  { name: 'd', status: 'disabled', labels: [] },
];
const names = (f: ReturnType<typeof filtersFromParams>) => filterAgents(AGENTS, f).map((a) => a.name);

describe('agent filters', () => {
  it('read from the URL: a known status and every label', () => {
    expect(filtersFromParams(new URLSearchParams('status=lost&label=gpu&label=linux&label=gpu'))).toEqual({ status: 'lost', labels: ['gpu', 'linux'] });
    expect(filtersFromParams(new URLSearchParams('status=asleep')).status).toBe('');
  });

  it('an agent matches with the status and all the labels (as runs_on selects)', () => {
    expect(names(filtersFromParams(new URLSearchParams('label=gpu')))).toEqual(['b', 'c']);
    expect(names(filtersFromParams(new URLSearchParams('label=gpu&label=docker')))).toEqual([]);
    expect(names(filtersFromParams(new URLSearchParams('status=online&label=linux')))).toEqual(['a', 'b']);
    expect(names(filtersFromParams(new URLSearchParams('')))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('changing one filter keeps the others and unrelated parameters', () => {
    let p = new URLSearchParams('tab=x&label=linux');
    p = withStatus(p, 'online');
    p = toggledLabel(p, 'gpu');
    expect(p.toString()).toBe('tab=x&status=online&label=linux&label=gpu');
    p = toggledLabel(p, 'linux');
    expect(p.getAll('label')).toEqual(['gpu']);
    p = withStatus(p, '');
    expect(p.has('status')).toBe(false);
    expect(isFiltered(filtersFromParams(p))).toBe(true);
    p = clearedFilters(p);
    expect(p.toString()).toBe('tab=x');
    expect(isFiltered(filtersFromParams(p))).toBe(false);
  });

  it('label choices: every agent’s labels plus any filtered on, sorted; counts per status', () => {
    expect(labelChoices(AGENTS, { status: '', labels: ['arm64'] })).toEqual(['arm64', 'docker', 'gpu', 'linux']);
    expect(statusCounts(AGENTS)).toEqual({ online: 2, lost: 1, disabled: 1 });
  });
});
