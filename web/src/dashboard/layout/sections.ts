// The dashboard's sections and a user's arrangement of them. Pure.
//
// Stored as a dashboard layout's `layout` (GET/POST/PUT /api/v1/dashboard-layouts,
// the user's default layout):
//   {"sections": [{"id": "metrics", "visible": true}, {"id": "charts", "visible": false}, ...]}
// in the order the dashboard shows them. Reading it back is forgiving: ids this
// UI does not know (a section removed since) are ignored, an id given twice
// counts once, and sections the saved layout does not name (added since) are
// appended, visible, in their default order. Anything that is not this shape
// reads as the default arrangement.
export const DASHBOARD_SECTIONS = [
  { id: 'metrics', label: 'Health metrics' },
  { id: 'advisories', label: 'Advisories' },
  { id: 'environments', label: 'Environments' },
  { id: 'dora', label: 'Delivery performance (DORA)' },
  { id: 'insights', label: 'Insights' },
  { id: 'charts', label: 'Executions over time and durations' },
  { id: 'recent-executions', label: 'Recent executions' },
] as const;

export type SectionId = (typeof DASHBOARD_SECTIONS)[number]['id'];

export interface SectionState {
  id: SectionId;
  visible: boolean;
}

export interface DashboardLayoutJson {
  sections: SectionState[];
}

const KNOWN = new Set<string>(DASHBOARD_SECTIONS.map((s) => s.id));

export function sectionLabel(id: SectionId): string {
  return DASHBOARD_SECTIONS.find((s) => s.id === id)?.label ?? id;
}

export function defaultSections(): SectionState[] {
  return DASHBOARD_SECTIONS.map((s) => ({ id: s.id, visible: true }));
}

// The arrangement a stored `layout` value stands for (see the header).
export function resolveSections(layout: unknown): SectionState[] {
  const saved = (layout as { sections?: unknown } | null | undefined)?.sections;
  if (!Array.isArray(saved)) return defaultSections();
  const out: SectionState[] = [];
  const seen = new Set<string>();
  for (const entry of saved) {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !KNOWN.has(id) || seen.has(id)) continue;
    seen.add(id);
    out.push({ id: id as SectionId, visible: (entry as { visible?: unknown }).visible !== false });
  }
  for (const s of defaultSections()) if (!seen.has(s.id)) out.push(s);
  return out;
}

export function toLayoutJson(sections: SectionState[]): DashboardLayoutJson {
  return { sections: sections.map(({ id, visible }) => ({ id, visible })) };
}

// The list with the section at `index` moved by `delta` (-1 up, +1 down);
// unchanged when that would leave the list.
export function moveSection(sections: SectionState[], index: number, delta: -1 | 1): SectionState[] {
  const to = index + delta;
  if (index < 0 || index >= sections.length || to < 0 || to >= sections.length) return sections;
  const next = sections.slice();
  const [moved] = next.splice(index, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
}

export function setVisible(sections: SectionState[], id: SectionId, visible: boolean): SectionState[] {
  return sections.map((s) => (s.id === id ? { ...s, visible } : s));
}

export function isDefaultArrangement(sections: SectionState[]): boolean {
  const d = defaultSections();
  return sections.length === d.length && sections.every((s, i) => s.id === d[i]?.id && s.visible);
}
