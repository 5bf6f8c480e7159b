import { describe, expect, it } from 'vitest';
import { collapsedSectionHiding, findSections, markerOf, sourceOf, visibleLines, type SectionLine } from './sections';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const L = (text: string, stream = 'stdout', sec = 0): SectionLine => ({ text, stream, at: t0 + sec * 1000 });

describe('markers', () => {
  it('knows the engine\'s step lines only on the system stream', () => {
    expect(markerOf(L("step 1/2 'build' started", 'system'))).toEqual({ kind: 'step', title: 'build' });
    expect(markerOf(L("step 1/2 'build' started", 'stdout'))).toBeNull();
    expect(markerOf(L("step 1/2 'build' exited with code 1", 'system'))).toBeNull();
  });
  it('knows GitHub and Azure groups', () => {
    expect(markerOf(L('::group::Install deps'))).toEqual({ kind: 'group', title: 'Install deps' });
    expect(markerOf(L('##[group]Compile'))).toEqual({ kind: 'group', title: 'Compile' });
    expect(markerOf(L('::endgroup::'))).toEqual({ kind: 'end' });
    expect(markerOf(L('##[endgroup]'))).toEqual({ kind: 'end' });
    expect(markerOf(L('# a comment'))).toBeNull();
  });
});

describe('findSections', () => {
  const log = [
    L("step 1/2 'build' started", 'system', 0), // 0
    L('::group::deps', 'stdout', 1), // 1
    L('npm ci', 'stdout', 2), // 2
    L('::endgroup::', 'stdout', 5), // 3
    L('compiled', 'stdout', 6), // 4
    L("step 2/2 'test' started", 'system', 10), // 5
    L('ok 1', 'stdout', 12), // 6
    L('ok 2', 'stdout', 13), // 7
  ];

  it('nests groups inside steps, with durations; the last step stays open', () => {
    const s = findSections(sourceOf(log));
    expect(s.map((x) => [x.title, x.kind, x.start, x.end, x.depth, x.open, x.durationMs])).toEqual([
      ['build', 'step', 0, 4, 0, false, 10_000],
      ['deps', 'group', 1, 3, 1, false, 4_000],
      ['test', 'step', 5, 7, 0, true, null],
    ]);
  });

  it('closes the last step at the last line once the node has finished', () => {
    const last = findSections(sourceOf(log), true).at(-1)!;
    expect(last).toMatchObject({ title: 'test', end: 7, open: false, durationMs: 3_000 });
  });

  it('a new step closes a group left open', () => {
    const s = findSections(sourceOf([L("step 1/2 'a' started", 'system', 0), L('##[group]x', 'stdout', 1), L('y'), L("step 2/2 'b' started", 'system', 4)]));
    expect(s[1]).toMatchObject({ title: 'x', end: 2, open: false, durationMs: 3000 });
  });

  it('ignores a stray end marker', () => {
    expect(findSections(sourceOf([L('::endgroup::'), L('x')]))).toEqual([]);
  });
});

describe('visibleLines', () => {
  const log = [
    L("step 1/2 'build' started", 'system'),
    L('::group::deps'),
    L('npm ci'),
    L('::endgroup::'),
    L('compiled'),
    L("step 2/2 'test' started", 'system'),
    L('ok'),
  ];
  const sections = findSections(sourceOf(log));

  it('is the identity (null) when nothing is collapsed', () => {
    expect(visibleLines(log.length, sections, new Set())).toBeNull();
  });
  it('hides a collapsed section\'s body but keeps its header', () => {
    expect(Array.from(visibleLines(log.length, sections, new Set([1]))!)).toEqual([0, 1, 4, 5, 6]);
    expect(Array.from(visibleLines(log.length, sections, new Set([0]))!)).toEqual([0, 5, 6]);
    expect(Array.from(visibleLines(log.length, sections, new Set([0, 1, 5]))!)).toEqual([0, 5]);
  });
  it('says which collapsed sections hide a line', () => {
    expect(collapsedSectionHiding(2, sections, new Set([0, 1])).map((s) => s.key)).toEqual([0, 1]);
    expect(collapsedSectionHiding(1, sections, new Set([1]))).toEqual([]);
  });
});
