// One pipeline node in the graph: name, status icon + word (colour is never
// the only signal), duration (ticking while it runs) and attempt n/m.
// Memoised: a node re-renders only when its own state object changes.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatDuration } from '../ui/format';
import { statusLook, TONE_CLASS } from '../ui/status';
import { NODE_HEIGHT, NODE_WIDTH } from './layoutInput';
import type { DagNodeState } from './model';
import { attemptText, nodeDurationMs } from './nodeText';
import { useNow } from './ticker';

export type DagFlowNode = Node<{ state: DagNodeState }, 'pipeline'>;

function DagNodeView({ data, selected }: NodeProps<DagFlowNode>) {
  const s = data.state;
  const look = statusLook(s.status);
  const now = useNow(s.status === 'running');
  const ms = nodeDurationMs(s, now || Date.now());
  const attempt = attemptText(s);
  return (
    <div
      data-testid="dag-node"
      data-node-id={s.nodeId}
      data-status={s.status}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
      className={`flex flex-col justify-center gap-0.5 rounded-md border bg-surface px-2.5 text-left shadow-sm ${
        selected ? 'ring-2 ring-accent' : ''
      } ${TONE_CLASS[look.tone].split(' ').filter((c) => c.startsWith('border-')).join(' ')}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="!opacity-0" />
      <div className="truncate font-mono text-xs font-semibold text-fg" title={s.name}>
        {s.name}
      </div>
      <div className={`flex items-center gap-1.5 text-xs ${TONE_CLASS[look.tone].split(' ')[0]}`}>
        <span aria-hidden="true" className={s.status === 'running' ? 'inline-block animate-spin' : ''}>
          {look.icon}
        </span>
        <span className="font-medium">{look.word}</span>
        {ms !== null && <span className="text-muted tabular-nums">· {formatDuration(ms)}</span>}
        {attempt && <span className="text-muted">· {attempt}</span>}
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} className="!opacity-0" />
    </div>
  );
}

export const DagNode = memo(DagNodeView);
