// Runs elkjs OFF the main thread: the layout engine (1.6 MB) is loaded only
// by a Web Worker, from its own file, so a 500-node layout never blocks the
// page and never weighs on the first page's JavaScript. One worker, reused.
import ELK from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { DagEdge } from './model';
import { layeredLayout } from './layeredLayout';
import { LARGE_GRAPH, layoutInput, positionsOf, type Positions } from './layoutInput';

let elk: InstanceType<typeof ELK> | null = null;

function engine(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerUrl: elkWorkerUrl });
  return elk;
}

// Starts the worker (it loads and compiles elk) before the graph is known,
// so that work overlaps the execution's fetch.
export function preloadLayoutEngine(): void {
  engine();
}

// Big graphs get the linear-time layered layout (layeredLayout.ts): elk took
// ~2 s for 500 nodes and 900 edges even with its quickest settings.
export async function computeLayout(nodeIds: readonly string[], edges: readonly DagEdge[]): Promise<Positions> {
  if (nodeIds.length > LARGE_GRAPH) return layeredLayout(nodeIds, edges);
  const laid = await engine().layout(layoutInput(nodeIds, edges));
  return positionsOf(nodeIds, laid);
}
