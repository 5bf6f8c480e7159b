// Runs elkjs OFF the main thread: the layout engine (1.6 MB) is loaded only
// by a Web Worker, from its own file, so a 500-node layout never blocks the
// page and never weighs on the first page's JavaScript. One worker, reused.
import ELK from 'elkjs/lib/elk-api';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { DagEdge } from './model';
import { layoutInput, positionsOf, type Positions } from './layoutInput';

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

export async function computeLayout(nodeIds: readonly string[], edges: readonly DagEdge[]): Promise<Positions> {
  const laid = await engine().layout(layoutInput(nodeIds, edges));
  return positionsOf(nodeIds, laid);
}
