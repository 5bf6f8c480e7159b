// One pipeline node in the graph: name, status icon + word (colour is never
// the only signal), duration (ticking while it runs) and attempt n/m.
// Memoised: a node re-renders only when its own state object changes. No
// React Flow handles: the edges are drawn by EdgeLayer from the fixed node
// size, so 1,000 handle components (each a store subscription) are saved.
import type { Node, NodeProps } from '@xyflow/react';
import { memo, useLayoutEffect, useRef } from 'react';
import { formatDuration } from '../ui/format';
import { statusLook, TONE_CLASS, type Tone } from '../ui/status';
import { NODE_HEIGHT, NODE_WIDTH } from './layoutInput';
import type { DagNodeState } from './model';
import { accessibleName, attemptText, nodeDurationMs } from './nodeText';
import { useNodeState } from './storeContext';
import { useNow } from './ticker';

export type DagFlowNode = Node<{ nodeId: string }, 'pipeline'>;

const UNKNOWN = (nodeId: string): DagNodeState => ({
  nodeId, name: nodeId, type: '', status: 'pending', attempt: 0, maxAttempts: 1, exitCode: null, error: null,
  startedAt: null, completedAt: null, durationMs: null, nextAttemptAt: null,
});

// Per tone, the node's border class and its status line's text class, split
// out of TONE_CLASS once rather than in every render of 500 nodes.
const toneParts = (tone: Tone) => {
  const classes = TONE_CLASS[tone].split(' ');
  return { border: classes.filter((c) => c.startsWith('border-')).join(' '), text: classes[0] };
};
const TONE_PARTS = Object.fromEntries((Object.keys(TONE_CLASS) as Tone[]).map((t) => [t, toneParts(t)])) as Record<Tone, ReturnType<typeof toneParts>>;

// Each node is laid out on its own (`contain: size layout style`, its size
// being fixed): a live status change re-lays out that node, not the graph.
// Not paint containment: a clip per node made chromium's per-frame
// layerizing of the 500 nodes dearer.
const NODE_STYLE = { width: NODE_WIDTH, height: NODE_HEIGHT, contain: 'size layout style' } as const;

function DagNodeView({ data, selected }: NodeProps<DagFlowNode>) {
  const s = useNodeState(data.nodeId) ?? UNKNOWN(data.nodeId);
  const look = statusLook(s.status);
  const tone = TONE_PARTS[look.tone];
  const now = useNow(s.status === 'running');
  // The focusable wrapper (the library's) is named "{node}, {status}".
  const ref = useRef<HTMLDivElement>(null);
  const name = accessibleName(s);
  useLayoutEffect(() => {
    ref.current?.closest('.react-flow__node')?.setAttribute('aria-label', name);
  }, [name]);
  const ms = nodeDurationMs(s, now || Date.now());
  const attempt = attemptText(s);
  return (
    <div
      ref={ref}
      data-testid="dag-node"
      data-node-id={s.nodeId}
      data-status={s.status}
      style={NODE_STYLE}
      className={`flex flex-col justify-center gap-0.5 rounded-md border bg-surface px-2.5 text-left shadow-sm ${
        selected ? 'ring-2 ring-accent' : ''
      } ${tone.border}`}
    >
      <div className="truncate font-mono text-xs font-semibold text-fg" title={s.name}>
        {s.name}
      </div>
      <div className={`flex items-center gap-1.5 overflow-hidden text-xs whitespace-nowrap ${tone.text}`}>
        {/* No spinning icon here: a CSS animation in any of 500 nodes makes
            the browser re-layerize the whole graph every frame (measured:
            ~12 ms a frame); the ticking duration shows the node is alive. */}
        <span className="font-medium">{`${look.icon} ${look.word}`}</span>
        {ms !== null && <span className="text-muted tabular-nums">· {formatDuration(ms)}</span>}
        {attempt && <span className="truncate text-muted">· {attempt}</span>}
      </div>
    </div>
  );
}

export const DagNode = memo(DagNodeView);
