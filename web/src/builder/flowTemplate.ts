// The builder's model <-> a flow template's React Flow arrays, exactly as the
// server's compiler reads them (src/pipeline/flow_template.h):
//   nodes: [{id, type, position, data: {label, <node keys but type/name/needs>}}]
//   edges: [{id, source, target}]        target needs source
// A flow template has no pipeline-level settings: the pipeline's `env` is
// copied into every node's `env` (a node's own value wins, as at run time);
// `max_parallel`, `fail_fast` and `timeout` cannot be kept and are listed in
// `dropped` so the builder can say so. The template's name is the pipeline's
// name. Pure.
import { placeNodes } from './layout';
import { DEFAULT_TYPE, isJsonMap, type BuilderEdge, type BuilderModel, type BuilderNode, type Json, type JsonMap, type Position } from './model';

export interface FlowNode {
  id: string;
  type: string;
  position: Position;
  data: JsonMap;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
}

export interface FlowTemplateBody {
  nodes: FlowNode[];
  edges: FlowEdge[];
  dropped: string[]; // pipeline settings a flow template cannot keep
}

const CARRIED_SETTINGS = new Set(['name', 'env']);

export function edgeId(e: BuilderEdge): string {
  return `${e.source}->${e.target}`;
}

function withPipelineEnv(data: JsonMap, pipelineEnv: JsonMap | null): JsonMap {
  if (!pipelineEnv || Object.keys(pipelineEnv).length === 0) return data;
  const own = isJsonMap(data.env) ? data.env : {};
  return { ...data, env: { ...pipelineEnv, ...own } };
}

export function toFlowTemplate(model: BuilderModel): FlowTemplateBody {
  const pipelineEnv = isJsonMap(model.settings.env) ? model.settings.env : null;
  const nodes = model.nodes.map((n) => ({
    id: n.id,
    type: n.type,
    position: n.position,
    data: { label: n.label || n.id, ...withPipelineEnv(n.data, pipelineEnv) },
  }));
  const edges = model.edges.map((e) => ({ id: edgeId(e), source: e.source, target: e.target }));
  const dropped = Object.keys(model.settings).filter((k) => !CARRIED_SETTINGS.has(k));
  return { nodes, edges, dropped };
}

// What validation and saving send: the arrays without `dropped`.
export function flowArrays(model: BuilderModel): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const { nodes, edges } = toFlowTemplate(model);
  return { nodes, edges };
}

function positionOf(v: Json | undefined): Position | null {
  if (!isJsonMap(v) || typeof v.x !== 'number' || typeof v.y !== 'number') return null;
  return { x: v.x, y: v.y };
}

// A stored template (or a library template) back into the model. Nodes
// without a position, or all of them when any lacks one, are laid out.
// Entries that are not node-shaped are skipped (the server never stores
// them: a template must compile).
export function modelFromFlowTemplate(name: string, rawNodes: unknown, rawEdges: unknown): BuilderModel {
  const nodes: Omit<BuilderNode, 'position'>[] = [];
  const positions = new Map<string, Position>();
  for (const raw of Array.isArray(rawNodes) ? (rawNodes as Json[]) : []) {
    if (!isJsonMap(raw) || typeof raw.id !== 'string') continue;
    const data: JsonMap = isJsonMap(raw.data) ? { ...raw.data } : {};
    const label = typeof data.label === 'string' && data.label !== raw.id ? data.label : undefined;
    delete data.label;
    const node: Omit<BuilderNode, 'position'> = { id: raw.id, type: typeof raw.type === 'string' ? raw.type : DEFAULT_TYPE, data };
    if (label) node.label = label;
    nodes.push(node);
    const p = positionOf(raw.position);
    if (p) positions.set(raw.id, p);
  }
  const known = new Set(nodes.map((n) => n.id));
  const edges: BuilderEdge[] = [];
  for (const raw of Array.isArray(rawEdges) ? (rawEdges as Json[]) : []) {
    if (!isJsonMap(raw) || typeof raw.source !== 'string' || typeof raw.target !== 'string') continue;
    const e = { source: raw.source, target: raw.target };
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) continue;
    if (!edges.some((x) => x.source === e.source && x.target === e.target)) edges.push(e);
  }
  const previous: BuilderNode[] = nodes.filter((n) => positions.has(n.id)).map((n) => ({ ...n, position: positions.get(n.id)! }));
  return { settings: name ? { name } : {}, nodes: placeNodes(nodes, edges, previous), edges };
}
