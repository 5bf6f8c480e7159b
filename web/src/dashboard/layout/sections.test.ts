import { describe, expect, it } from 'vitest';
import { DASHBOARD_SECTIONS, defaultSections, isDefaultArrangement, moveSection, resolveSections, setVisible, toLayoutJson } from './sections';

const ids = (s: { id: string }[]) => s.map((x) => x.id);
const DEFAULT_IDS = DASHBOARD_SECTIONS.map((s) => s.id);

describe('dashboard layout', () => {
  it('reads anything that is not a layout as the default arrangement, every section shown', () => {
    for (const bad of [undefined, null, 'x', 42, {}, { sections: 'no' }]) {
      const s = resolveSections(bad);
      expect(ids(s)).toEqual(DEFAULT_IDS);
      expect(s.every((x) => x.visible)).toBe(true);
    }
  });

  it('keeps the saved order and visibility, ignores unknown and repeated ids, appends new sections visible', () => {
    const s = resolveSections({
      sections: [
        { id: 'charts', visible: false },
        { id: 'retired-widget', visible: true },
        { id: 'metrics' },
        { id: 'charts', visible: true },
        null,
        { id: 7 },
        { id: 'recent-executions', visible: false },
      ],
    });
    expect(s.slice(0, 3)).toEqual([
      { id: 'charts', visible: false },
      { id: 'metrics', visible: true },
      { id: 'recent-executions', visible: false },
    ]);
    expect(ids(s.slice(3))).toEqual(['advisories', 'environments', 'dora', 'insights']);
    expect(s.slice(3).every((x) => x.visible)).toBe(true);
  });

  it('moves a section up or down and stays put at the ends', () => {
    const d = defaultSections();
    expect(ids(moveSection(d, 1, -1)).slice(0, 3)).toEqual(['advisories', 'metrics', 'environments']);
    expect(ids(moveSection(d, 0, 1)).slice(0, 2)).toEqual(['advisories', 'metrics']);
    expect(moveSection(d, 0, -1)).toBe(d);
    expect(moveSection(d, d.length - 1, 1)).toBe(d);
  });

  it('hides and shows a section and writes the stored shape', () => {
    const hidden = setVisible(defaultSections(), 'dora', false);
    expect(hidden.find((s) => s.id === 'dora')?.visible).toBe(false);
    expect(isDefaultArrangement(hidden)).toBe(false);
    expect(isDefaultArrangement(defaultSections())).toBe(true);
    const json = toLayoutJson(hidden);
    expect(json.sections[3]).toEqual({ id: 'dora', visible: false });
    expect(resolveSections(JSON.parse(JSON.stringify(json)))).toEqual(hidden);
  });
});
