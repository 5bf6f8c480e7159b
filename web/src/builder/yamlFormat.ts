// opzenix.yml text <-> the builder's model (model.ts). Reading is forgiving
// about what the server validates (unknown keys, bad durations, missing
// commands all pass through to POST /pipelines/validate, which names them)
// and strict only about what the canvas cannot draw: YAML syntax, a
// `nodes` that is not a map, a node that is not a map, a `needs` naming no
// known node. Those come back as problems with 1-based line and column, and
// the caller keeps its last good model. `env` values keep the text they
// were written with (`PORT: 0080` stays "0080"), as the server does.
// Writing gives the server's YAML format (examples/*.yml): top-level
// settings, then `nodes:` keyed by id with type, name, needs, then the
// node's fields in their order. Comments are not kept. Pure.
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { placeNodes } from './layout';
import { DEFAULT_TYPE, type BuilderEdge, type BuilderModel, type BuilderNode, type Json, type JsonMap } from './model';

export interface YamlProblem {
  line: number | null;
  column: number | null;
  message: string;
}

export type YamlReading = { ok: true; model: BuilderModel } | { ok: false; problems: YamlProblem[] };

const NODE_OWN_KEYS = new Set(['type', 'name', 'needs']);

// "Map keys must be unique at line 6, column 1:\n\n<snippet>" -> "Map keys must be unique".
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

class Reader {
  readonly problems: YamlProblem[] = [];
  constructor(private readonly lines: LineCounter) {}

  report(node: YamlNode | null | undefined, message: string): void {
    const offset = node?.range?.[0];
    const pos = offset === undefined ? null : this.lines.linePos(offset);
    this.problems.push({ line: pos?.line ?? null, column: pos?.col ?? null, message });
  }
}

// env maps keep each plain scalar's source text (0080, true, 1.50).
function envValues(node: unknown): Json | undefined {
  if (!isMap(node)) return undefined;
  const out: JsonMap = {};
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const value = pair.value;
    if (isScalar(value)) {
      const v = value.value;
      out[key] = v === null ? '' : typeof v === 'string' ? v : (value.source ?? String(v));
    } else {
      out[key] = (isMap(value) || isSeq(value) ? value.toJSON() : null) as Json;
    }
  }
  return out;
}

function plainValue(node: unknown): Json {
  if (isMap(node) || isSeq(node) || isScalar(node)) return node.toJSON() as Json;
  return null;
}

function readFields(map: YAMLMap, skip: Set<string>): JsonMap {
  const out: JsonMap = {};
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (skip.has(key)) continue;
    out[key] = key === 'env' ? (envValues(pair.value) ?? plainValue(pair.value)) : plainValue(pair.value);
  }
  return out;
}

function stringOf(node: unknown): string | null {
  return isScalar(node) && typeof node.value === 'string' ? node.value : null;
}

function readNeeds(r: Reader, id: string, node: unknown): string[] {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  const one = stringOf(node);
  if (one !== null) return [one];
  if (isSeq(node)) {
    const out: string[] = [];
    for (const item of node.items) {
      const s = stringOf(item);
      if (s === null) r.report(item as YamlNode, `nodes.${id}.needs: each need is a node id`);
      else if (!out.includes(s)) out.push(s);
    }
    return out;
  }
  r.report(node as YamlNode, `nodes.${id}.needs: must be a node id or a list of node ids`);
  return [];
}

export function modelFromYaml(text: string, previous: readonly BuilderNode[] = []): YamlReading {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const r = new Reader(lines);
  for (const e of doc.errors) {
    const pos = e.linePos?.[0];
    r.problems.push({ line: pos?.line ?? null, column: pos?.col ?? null, message: firstLine(e.message) });
  }
  if (r.problems.length) return { ok: false, problems: r.problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { ok: true, model: { settings: {}, nodes: [], edges: [] } };
  if (!isMap(root)) {
    r.report(root, 'the pipeline must be a map: name, env, ..., and nodes (node id -> node)');
    return { ok: false, problems: r.problems };
  }
  const settings = readFields(root, new Set(['nodes']));
  const nodesNode = root.get('nodes', true);
  const nodes: Omit<BuilderNode, 'position'>[] = [];
  const needs = new Map<string, { list: string[]; at: unknown }>();
  if (nodesNode !== undefined && !(isScalar(nodesNode) && nodesNode.value === null)) {
    if (!isMap(nodesNode)) {
      r.report(nodesNode, 'nodes: must be a map of node id -> node (like GitHub jobs:)');
      return { ok: false, problems: r.problems };
    }
    for (const pair of nodesNode.items) {
      const id = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const body = pair.value;
      if (body !== null && !(isScalar(body) && body.value === null) && !isMap(body)) {
        r.report((body ?? pair.key) as YamlNode, `nodes.${id}: a node is a map of keys (type, needs, run, ...)`);
        continue;
      }
      const map = isMap(body) ? body : null;
      const typeNode = map?.get('type', true);
      const type = typeNode === undefined ? DEFAULT_TYPE : stringOf(typeNode);
      if (type === null) r.report(typeNode as YamlNode, `nodes.${id}.type: must be a node type`);
      const nameNode = map?.get('name', true);
      const label = nameNode === undefined ? undefined : stringOf(nameNode);
      if (label === null) r.report(nameNode as YamlNode, `nodes.${id}.name: must be text`);
      const node: Omit<BuilderNode, 'position'> = { id, type: type ?? DEFAULT_TYPE, data: map ? readFields(map, NODE_OWN_KEYS) : {} };
      if (label) node.label = label;
      nodes.push(node);
      needs.set(id, { list: readNeeds(r, id, map?.get('needs', true)), at: map?.get('needs', true) });
    }
  }
  const known = new Set(nodes.map((n) => n.id));
  const edges: BuilderEdge[] = [];
  for (const [target, { list, at }] of needs) {
    for (const source of list) {
      if (!known.has(source)) r.report(at as YamlNode, `nodes.${target}.needs: unknown node '${source}'`);
      else if (source === target) r.report(at as YamlNode, `nodes.${target}.needs: node '${target}' cannot need itself`);
      else edges.push({ source, target });
    }
  }
  if (r.problems.length) return { ok: false, problems: r.problems };
  return { ok: true, model: { settings, nodes: placeNodes(nodes, edges, previous), edges } };
}

function nodeToYaml(model: BuilderModel, node: BuilderNode): JsonMap {
  const out: JsonMap = {};
  if (node.type !== DEFAULT_TYPE) out.type = node.type;
  if (node.label) out.name = node.label;
  const needs = model.edges.filter((e) => e.target === node.id).map((e) => e.source);
  if (needs.length === 1) out.needs = needs[0]!;
  else if (needs.length > 1) out.needs = needs;
  for (const [k, v] of Object.entries(node.data)) if (!NODE_OWN_KEYS.has(k)) out[k] = v;
  return out;
}

export function modelToYaml(model: BuilderModel): string {
  const nodes: JsonMap = {};
  for (const n of model.nodes) nodes[n.id] = nodeToYaml(model, n);
  const doc = new Document({ ...model.settings, nodes });
  // needs read best on one line: `needs: [test, scan]`.
  const nodesMap = doc.get('nodes', true);
  if (isMap(nodesMap)) {
    for (const pair of nodesMap.items) {
      const needs = isMap(pair.value) ? pair.value.get('needs', true) : undefined;
      if (isSeq(needs)) needs.flow = true;
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
