// One node on the builder's canvas: type, name, id, what it runs, and its
// problems from the live validation as a red marker with the message.
// Handles: drag from the right one (this node) to the left one of another
// node to say "that node needs this one".
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, useLayoutEffect, useRef } from 'react';
import { displayName, type BuilderNode } from './model';
import { nodeLook } from './nodeLook';
import { nodeSummary } from './nodeSummary';
import type { Problem } from './problems';

export const BUILDER_NODE_WIDTH = 200;

export type BuilderFlowNode = Node<{ node: BuilderNode; problems: Problem[] }, 'builder'>;

const HANDLE = '!h-3.5 !w-3.5 !border-2 !border-surface !bg-accent';
// Handles at a fixed height (beside the name), so a problem marker growing
// the card never moves them under a pointer that is connecting.
const HANDLE_STYLE = { top: 32 };

function BuilderNodeView({ data, selected }: NodeProps<BuilderFlowNode>) {
  const { node, problems } = data;
  const look = nodeLook(node.type);
  const summary = nodeSummary(node);
  const name = displayName(node);
  const label = `${look.word} node ${name}${problems.length ? `, ${problems.length} problem${problems.length > 1 ? 's' : ''}` : ''}`;
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.closest('.react-flow__node')?.setAttribute('aria-label', label);
  }, [label]);
  return (
    <div
      ref={ref}
      data-testid="builder-node"
      data-node-id={node.id}
      data-problems={problems.length}
      style={{ width: BUILDER_NODE_WIDTH }}
      className={`flex flex-col gap-0.5 rounded-md border bg-surface px-2.5 py-2 text-left shadow-sm ${
        problems.length ? 'border-bad' : 'border-border'
      } ${selected ? 'ring-2 ring-accent' : ''}`}
    >
      <Handle type="target" position={Position.Left} className={HANDLE} style={HANDLE_STYLE} />
      <div className="flex items-center gap-1.5 text-xs text-muted">
        <span aria-hidden="true">{look.glyph}</span>
        <span className="font-medium uppercase tracking-wide">{look.word}</span>
      </div>
      <div className="truncate text-sm font-semibold text-fg" title={name}>
        {name}
      </div>
      {node.label && <div className="truncate font-mono text-xs text-muted">{node.id}</div>}
      <div data-testid="builder-node-summary" className={`truncate font-mono text-xs ${summary ? 'text-fg' : 'text-muted italic'}`} title={summary}>
        {summary || (node.type === 'approval' ? '' : 'no command')}
      </div>
      {problems.length > 0 && (
        <div data-testid="builder-node-problem" className="mt-1 rounded border border-bad/40 bg-bad/10 px-1.5 py-1 text-xs text-bad" title={problems.map((p) => p.message).join('\n')}>
          <span aria-hidden="true">⚠ </span>
          <span className="line-clamp-2">{problems[0]!.message}</span>
          {problems.length > 1 && <span className="block text-[11px]">+{problems.length - 1} more</span>}
        </div>
      )}
      <Handle type="source" position={Position.Right} className={HANDLE} style={HANDLE_STYLE} />
    </div>
  );
}

export const BuilderNodeCard = memo(BuilderNodeView);
