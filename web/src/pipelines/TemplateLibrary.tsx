// The template library: filters (flow type, category, tag, search; in the
// URL), the matching templates most used first, and "Use template", which
// counts a use (operators and admins) and opens the builder with it.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { FLOW_TYPES } from '../builder/api';
import { canManagePipelines } from '../builder/readiness';
import { useSession } from '../shell/useSession';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState, errorText } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { listPipelineTemplates, pipelineTemplatesKey, markTemplateUsed, type PipelineTemplate } from './api';
import { filterOptions, filtersFromParams, isFiltered, withTemplateFilter } from './filters';
import { FLOW_TYPE_WORDS } from './flowTypes';
import { TemplateCard } from './TemplateCard';

const SELECT = 'rounded border border-border bg-surface px-2 py-1 text-sm';
const NO_FILTERS = { flowType: '', category: '', tag: '', q: '' };

export function TemplateLibrary() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const navigate = useNavigate();
  const role = useSession()?.user.role ?? 'viewer';
  const all = useQuery({ queryKey: [...pipelineTemplatesKey, 'all'], queryFn: () => listPipelineTemplates(NO_FILTERS) });
  const shown = useQuery({ queryKey: [...pipelineTemplatesKey, filters], queryFn: () => listPipelineTemplates(filters), enabled: isFiltered(filters) });
  const list = isFiltered(filters) ? shown : all;
  const { categories, tags } = filterOptions(all.data?.items ?? []);
  const [opening, setOpening] = useState<string | null>(null);
  const [useError, setUseError] = useState<unknown>(null);
  const set = (key: keyof typeof filters, value: string) => setParams(withTemplateFilter(params, key, value), { replace: true });

  const open = async (t: PipelineTemplate) => {
    setOpening(t.id);
    setUseError(null);
    try {
      const used = canManagePipelines(role) ? await markTemplateUsed(t.id) : t;
      navigate(`/pipelines/new?template=${encodeURIComponent(t.id)}`, { state: { libraryTemplate: used } });
    } catch (e) {
      setUseError(e);
      setOpening(null);
    }
  };

  const items = [...(list.data?.items ?? [])].sort((a, b) => b.popularity - a.popularity || a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="library-title" className="flex flex-col gap-3">
      <h2 id="library-title" className="text-lg font-semibold">
        Template library
      </h2>
      <div role="search" aria-label="Filter templates" className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-0.5 text-xs text-muted">
          Search
          <input type="search" value={filters.q} placeholder="name or description" onChange={(e) => set('q', e.target.value)} className={SELECT} data-testid="template-search" />
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-muted">
          Flow type
          <select value={filters.flowType} onChange={(e) => set('flowType', e.target.value)} className={SELECT} data-testid="template-flow-type">
            <option value="">All</option>
            {FLOW_TYPES.map((t) => (
              <option key={t} value={t}>
                {FLOW_TYPE_WORDS[t]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-muted">
          Category
          <select value={filters.category} onChange={(e) => set('category', e.target.value)} className={SELECT}>
            <option value="">All</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs text-muted">
          Tag
          <select value={filters.tag} onChange={(e) => set('tag', e.target.value)} className={SELECT}>
            <option value="">All</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {isFiltered(filters) && (
          <Button size="sm" variant="ghost" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            Clear filters
          </Button>
        )}
      </div>
      {useError !== null && (
        <p role="alert" className="text-sm text-bad">
          Could not open the template: {errorText(useError)}
        </p>
      )}
      {list.isPending ? (
        <SkeletonRows rows={4} label="Loading templates" />
      ) : list.isError ? (
        <ErrorState title="Could not load the template library" error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        isFiltered(filters) ? (
          <EmptyState title="No template matches these filters">Change or clear the filters.</EmptyState>
        ) : (
          <EmptyState title="The template library is empty">Start from an empty canvas with New pipeline.</EmptyState>
        )
      ) : (
        <div className="grid grid-cols-[repeat(auto-fill,minmax(18rem,1fr))] gap-3">
          {items.map((t) => (
            <TemplateCard key={t.id} template={t} busy={opening === t.id} onUse={() => void open(t)} />
          ))}
        </div>
      )}
    </section>
  );
}
