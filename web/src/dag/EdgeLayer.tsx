// The graph's edges, drawn in React Flow's viewport (so they pan and zoom
// with the nodes) as one SVG path beneath the nodes: edges here are never
// selected, focused or clicked, so React Flow need not know them.
import { ViewportPortal } from '@xyflow/react';
import { memo } from 'react';

function EdgeLayerView({ path }: { path: string }) {
  return (
    <ViewportPortal>
      <svg data-testid="dag-edges" aria-hidden="true" className="pointer-events-none absolute top-0 left-0 overflow-visible" style={{ zIndex: -1 }} width="1" height="1">
        <path d={path} fill="none" style={{ stroke: 'var(--xy-edge-stroke, var(--xy-edge-stroke-default))', strokeWidth: 'var(--xy-edge-stroke-width, var(--xy-edge-stroke-width-default))' }} />
      </svg>
    </ViewportPortal>
  );
}

export const EdgeLayer = memo(EdgeLayerView);
