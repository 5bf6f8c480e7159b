// The palette of the seven node types. Drag one onto the canvas, or click it
// (Enter, Space) to add it after the last node.
import type { DragEvent } from 'react';
import { PALETTE_TYPES } from './model';
import { nodeLook } from './nodeLook';

export const NODE_TYPE_MIME = 'application/x-opzenix-node-type';

export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const start = (type: string) => (e: DragEvent<HTMLButtonElement>) => {
    e.dataTransfer.setData(NODE_TYPE_MIME, type);
    e.dataTransfer.setData('text/plain', type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav aria-labelledby="palette-title" className="flex flex-wrap items-center gap-x-2 gap-y-1">
      <h2 id="palette-title" className="text-xs font-semibold tracking-wide text-muted uppercase">
        Add a node
      </h2>
      <ul className="flex flex-wrap gap-1">
        {PALETTE_TYPES.map((type) => {
          const look = nodeLook(type);
          return (
            <li key={type}>
              <button
                type="button"
                draggable
                onDragStart={start(type)}
                onClick={() => onAdd(type)}
                data-testid="builder-palette-item"
                data-node-type={type}
                title={look.purpose}
                className="flex cursor-grab items-center gap-1.5 rounded border border-border bg-surface px-2 py-1 text-sm hover:bg-surface-2"
              >
                <span aria-hidden="true" className="w-4 text-center">
                  {look.glyph}
                </span>
                <span className="font-medium">{look.word}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className="text-xs text-muted">Drag onto the canvas, or click to add after the last node.</p>
    </nav>
  );
}
