// The server's validation errors (POST /api/v1/pipelines/validate with the
// flow template's arrays) placed on the builder's nodes. Each error's field
// is its JSON path into what was sent: `nodes[3].data.retry` belongs to the
// fourth node (field `retry`), `edges[2].target` to the node that third edge
// points at, a cycle (`nodes[0]: cycle in needs: a → b → a`) to every node
// on it; anything else (an empty pipeline) is about the whole pipeline. The
// arrays were built from the model in order (flowTemplate.ts), so indexes
// are the model's. Pure.
import type { BuilderModel } from './model';

export interface ServerProblem {
  code?: string;
  message: string;
  field?: string;
}

export interface Problem {
  nodeId: string | null; // null: about the whole pipeline
  field: string | null; // the node field it names (`retry`, `health_check.http.url`), if any
  message: string; // without the path prefix
}

const NODE_PATH = /^nodes\[(\d+)\](?:\.(?:data\.)?(.+))?$/;
const EDGE_PATH = /^edges\[(\d+)\](?:\.(.+))?$/;
const CYCLE = /cycle in needs: (.+)$/;

function pathOf(p: ServerProblem): string {
  if (p.field) return p.field;
  const colon = p.message.indexOf(': ');
  return colon > 0 ? p.message.slice(0, colon) : '';
}

function withoutPrefix(message: string, path: string): string {
  return path && message.startsWith(path + ': ') ? message.slice(path.length + 2) : message;
}

export function placeProblems(errors: readonly ServerProblem[], model: BuilderModel): Problem[] {
  const out: Problem[] = [];
  for (const e of errors) {
    const path = pathOf(e);
    const message = withoutPrefix(e.message, path);
    const cycle = CYCLE.exec(message);
    if (cycle) {
      const ids = [...new Set(cycle[1]!.split(' → ').map((s) => s.trim()))];
      const known = ids.filter((id) => model.nodes.some((n) => n.id === id));
      if (known.length) {
        for (const id of known) out.push({ nodeId: id, field: 'needs', message });
        continue;
      }
    }
    const node = NODE_PATH.exec(path);
    if (node) {
      const target = model.nodes[Number(node[1])];
      if (target) {
        const field = node[2] ?? null;
        out.push({ nodeId: target.id, field, message: field ? `${field}: ${message}` : message });
        continue;
      }
    }
    const edge = EDGE_PATH.exec(path);
    if (edge) {
      const target = model.edges[Number(edge[1])];
      if (target) {
        out.push({ nodeId: target.target, field: 'needs', message: `needs ${target.source}: ${message}` });
        continue;
      }
    }
    out.push({ nodeId: null, field: null, message: e.message });
  }
  return out;
}

export function problemsByNode(problems: readonly Problem[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const p of problems) if (p.nodeId) (out.get(p.nodeId) ?? out.set(p.nodeId, []).get(p.nodeId)!).push(p);
  return out;
}
