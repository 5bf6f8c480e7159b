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

// The size of the graph about to be drawn, when it is known before the page
// asks for the engine (execution/prefetch.ts): a small one starts the worker
// now; a large one is laid out without elk, so the page's preload is skipped
// — loading and compiling elk's 1.6 MB took ~0.75 s of CPU in the worker
// while a 500-node graph was being drawn, on a machine of two cores.
let largeExpected = false;

export function expectGraph(nodeCount: number): void {
  largeExpected = nodeCount > LARGE_GRAPH;
  if (!largeExpected) engine();
}

// Starts the worker (it loads and compiles elk) before the graph is known,
// so that work overlaps the execution's fetch; not when the graph is known
// to be large (once: the next page asks again).
export function preloadLayoutEngine(): void {
  if (largeExpected) {
    largeExpected = false;
    return;
  }
  engine();
}

// Big graphs get the linear-time layered layout (layeredLayout.ts): elk took
// ~2 s for 500 nodes and 900 edges even with its quickest settings.
export async function computeLayout(nodeIds: readonly string[], edges: readonly DagEdge[]): Promise<Positions> {
  if (nodeIds.length > LARGE_GRAPH) return layeredLayout(nodeIds, edges);
  const laid = await engine().layout(layoutInput(nodeIds, edges));
  return positionsOf(nodeIds, laid);
}
