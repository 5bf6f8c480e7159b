// The builder's model of a pipeline, apart from how it is drawn: the nodes
// (id, type, display name, the node's fields as the server reads them, and a
// canvas position), the edges (`target` needs `source`) and the pipeline's
// top-level settings. Both server formats map onto it: opzenix.yml
// (yamlFormat.ts) and the flow template's React Flow arrays (flowTemplate.ts).
// `data` holds the node keys of opzenix.yml other than type/name/needs, as
// JSON values in their written order, so nothing the user wrote is lost or
// reordered on the way through. Pure functions; the model is never mutated.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMap = { [key: string]: Json };

// The palette's node types (the seeds' table). The server also knows `run`
// (the default when a node gives no type) and `github_workflow`; the model
// keeps whatever type a pipeline names.
export const PALETTE_TYPES = ['trigger', 'build', 'test', 'scan', 'approval', 'deploy', 'notify'] as const;
export type PaletteType = (typeof PALETTE_TYPES)[number];
export const DEFAULT_TYPE = 'run';

export interface Position {
  x: number;
  y: number;
}

export interface BuilderNode {
  id: string;
  type: string;
  label?: string; // the display name; absent = the id
  data: JsonMap;
  position: Position;
}

export interface BuilderEdge {
  source: string;
  target: string;
}

export interface BuilderModel {
  // Top-level keys of opzenix.yml other than `nodes` (name, env,
  // max_parallel, fail_fast, timeout), in their written order.
  settings: JsonMap;
  nodes: BuilderNode[];
  edges: BuilderEdge[];
}

export const EMPTY_MODEL: BuilderModel = { settings: {}, nodes: [], edges: [] };

export function isJsonMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function pipelineName(model: BuilderModel): string {
  const name = model.settings.name;
  return typeof name === 'string' ? name : '';
}

export function withPipelineName(model: BuilderModel, name: string): BuilderModel {
  const settings = { ...model.settings };
  if (name) settings.name = name;
  else delete settings.name;
  return { ...model, settings };
}

export function displayName(node: BuilderNode): string {
  return node.label || node.id;
}

// `base`, or `base-2`, `base-3`, ... whichever is free.
export function uniqueId(model: BuilderModel, base: string): string {
  const taken = new Set(model.nodes.map((n) => n.id));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

// What a freshly dropped node of each type starts with: the fields the
// server requires for it (build/test/scan/deploy need a command).
export function starterData(type: string): JsonMap {
  switch (type) {
    case 'build':
    case 'test':
    case 'scan':
    case 'deploy':
      return { run: '' };
    case 'approval':
      return { with: { required_approvals: 1 } };
    default:
      return {};
  }
}

export function addNode(model: BuilderModel, type: string, position: Position): { model: BuilderModel; id: string } {
  const id = uniqueId(model, type);
  const node: BuilderNode = { id, type, data: starterData(type), position };
  return { model: { ...model, nodes: [...model.nodes, node] }, id };
}

export function removeNode(model: BuilderModel, id: string): BuilderModel {
  return {
    ...model,
    nodes: model.nodes.filter((n) => n.id !== id),
    edges: model.edges.filter((e) => e.source !== id && e.target !== id),
  };
}

export function hasEdge(model: BuilderModel, source: string, target: string): boolean {
  return model.edges.some((e) => e.source === source && e.target === target);
}

// A new edge, unless it exists, loops on one node or names an unknown node.
// Cycles are let through: the server's validation names them on the node.
export function connect(model: BuilderModel, source: string, target: string): BuilderModel {
  const known = new Set(model.nodes.map((n) => n.id));
  if (source === target || !known.has(source) || !known.has(target) || hasEdge(model, source, target)) return model;
  return { ...model, edges: [...model.edges, { source, target }] };
}

export function disconnect(model: BuilderModel, source: string, target: string): BuilderModel {
  return { ...model, edges: model.edges.filter((e) => !(e.source === source && e.target === target)) };
}

export function moveNode(model: BuilderModel, id: string, position: Position): BuilderModel {
  return { ...model, nodes: model.nodes.map((n) => (n.id === id ? { ...n, position } : n)) };
}

export function needsOf(model: BuilderModel, id: string): string[] {
  return model.edges.filter((e) => e.target === id).map((e) => e.source);
}

export type NodeChange = { label?: string; type?: string; data?: JsonMap };

export function updateNode(model: BuilderModel, id: string, change: NodeChange): BuilderModel {
  return {
    ...model,
    nodes: model.nodes.map((n) => {
      if (n.id !== id) return n;
      const next: BuilderNode = { ...n, ...change };
      if (!next.label) delete next.label;
      return next;
    }),
  };
}

// Node ids as the server accepts them (path segments of the log routes).
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

export function nodeIdProblem(model: BuilderModel, from: string, to: string): string | null {
  if (!NODE_ID_PATTERN.test(to) || to === '.' || to === '..')
    return "Use 1 to 100 letters, digits, '_', '.' or '-' (not '.' or '..').";
  if (to !== from && model.nodes.some((n) => n.id === to)) return `Another node is called '${to}'.`;
  return null;
}

// Renames a node and the edges that name it; the caller checks nodeIdProblem first.
export function renameNode(model: BuilderModel, from: string, to: string): BuilderModel {
  if (from === to) return model;
  const swap = (id: string) => (id === from ? to : id);
  return {
    ...model,
    nodes: model.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
    edges: model.edges.map((e) => ({ source: swap(e.source), target: swap(e.target) })),
  };
}
