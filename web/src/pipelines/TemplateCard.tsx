// One library template: name, flow type, category, tags, how often it was
// used, its node types in order, and "Use template".
import { nodeLook } from '../builder/nodeLook';
import { Button } from '../ui/Button';
import type { PipelineTemplate } from './api';
import { nodeTypesOf } from './filters';
import { flowTypeWord } from './flowTypes';

export function TemplateCard({ template, onUse, busy }: { template: PipelineTemplate; onUse: () => void; busy: boolean }) {
  const types = nodeTypesOf(template.nodes);
  const headingId = `template-${template.id}`;
  return (
    <article data-testid="template-card" data-template-id={template.id} aria-labelledby={headingId} className="flex flex-col gap-2 rounded border border-border bg-surface p-3">
      <div className="flex items-start justify-between gap-2">
        <h3 id={headingId} className="font-semibold">
          {template.name}
        </h3>
        <span className="shrink-0 rounded bg-surface-2 px-1.5 py-0.5 text-xs font-medium">{flowTypeWord(template.flow_type)}</span>
      </div>
      {template.description && <p className="text-sm text-muted">{template.description}</p>}
      <p className="flex flex-wrap items-center gap-1 text-xs text-muted" aria-label={`${types.length} nodes: ${types.join(', ')}`}>
        {types.map((t, i) => (
          <span key={i} className="inline-flex items-center gap-1">
            {i > 0 && <span aria-hidden="true">→</span>}
            <span className="rounded border border-border px-1">
              <span aria-hidden="true">{nodeLook(t).glyph} </span>
              {nodeLook(t).word}
            </span>
          </span>
        ))}
      </p>
      <div className="flex flex-wrap gap-1 text-xs">
        <span className="rounded bg-surface-2 px-1.5 py-0.5">{template.category}</span>
        {(template.tags ?? []).map((tag) => (
          <span key={tag} className="rounded border border-border px-1.5 py-0.5 text-muted">
            #{tag}
          </span>
        ))}
      </div>
      <div className="mt-auto flex items-center justify-between pt-1">
        <span className="text-xs text-muted tabular-nums">
          Used {template.popularity} time{template.popularity === 1 ? '' : 's'}
        </span>
        <Button size="sm" variant="primary" data-testid="template-use" disabled={busy} reason={busy ? 'Opening…' : undefined} onClick={onUse} aria-label={`Use template ${template.name}`}>
          Use template
        </Button>
      </div>
    </article>
  );
}
