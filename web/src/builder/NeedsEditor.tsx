// What a node needs, from the canvas's edges: remove one, or add one without
// dragging (the keyboard way to connect nodes).
import { Button } from '../ui/Button';
import type { BuilderModel } from './model';
import { displayName, needsOf } from './model';

export function NeedsEditor({ model, id, onConnect, onDisconnect }: { model: BuilderModel; id: string; onConnect: (source: string) => void; onDisconnect: (source: string) => void }) {
  const needs = needsOf(model, id);
  const candidates = model.nodes.filter((n) => n.id !== id && !needs.includes(n.id));
  return (
    <div className="flex flex-col gap-1.5" data-testid="builder-needs">
      {needs.length === 0 ? (
        <p className="text-xs text-muted">Needs nothing: starts first.</p>
      ) : (
        <ul className="flex flex-wrap gap-1">
          {needs.map((source) => (
            <li key={source} className="inline-flex items-center gap-1 rounded border border-border bg-surface-2 py-0.5 pl-2 font-mono text-xs">
              {source}
              <Button size="sm" variant="ghost" className="!px-1 !py-0" onClick={() => onDisconnect(source)} aria-label={`Stop needing ${source}`}>
                ✕
              </Button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
          Add a need
          <select
            value=""
            onChange={(e) => {
              if (e.target.value) onConnect(e.target.value);
            }}
            className="rounded border border-border bg-surface px-2 py-1 text-sm text-fg"
          >
            <option value="">Choose a node…</option>
            {candidates.map((n) => (
              <option key={n.id} value={n.id}>
                {displayName(n)}
                {n.label ? ` (${n.id})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
