// The template library's filters, kept in the URL (?flow_type=&category=&tag=&q=). Pure.
import type { PipelineTemplate, TemplateFilters } from './api';

const PARAM: Record<keyof TemplateFilters, string> = { flowType: 'flow_type', category: 'category', tag: 'tag', q: 'q' };

export function filtersFromParams(params: URLSearchParams): TemplateFilters {
  return { flowType: params.get('flow_type') ?? '', category: params.get('category') ?? '', tag: params.get('tag') ?? '', q: params.get('q') ?? '' };
}

export function withTemplateFilter(params: URLSearchParams, key: keyof TemplateFilters, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(PARAM[key], value);
  else next.delete(PARAM[key]);
  return next;
}

export function isFiltered(f: TemplateFilters): boolean {
  return Boolean(f.flowType || f.category || f.tag || f.q);
}

// The categories and tags to offer, from every template, sorted.
export function filterOptions(items: readonly PipelineTemplate[]): { categories: string[]; tags: string[] } {
  const categories = new Set<string>();
  const tags = new Set<string>();
  for (const t of items) {
    if (t.category) categories.add(t.category);
    for (const tag of t.tags ?? []) tags.add(tag);
  }
  return { categories: [...categories].sort(), tags: [...tags].sort() };
}

// How many nodes a template has, and their types in order (for its card).
export function nodeTypesOf(nodes: unknown): string[] {
  if (!Array.isArray(nodes)) return [];
  return nodes.map((n: unknown) => (typeof n === 'object' && n !== null && typeof (n as { type?: unknown }).type === 'string' ? (n as { type: string }).type : 'run'));
}
