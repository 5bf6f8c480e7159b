// DagView is drawn once per shape and patched by its store: a re-render of
// the page around it (an execution change folded in, twice a second while a
// run goes) must not render the graph again (it did, and its inline
// onNodeClick then re-rendered React Flow's 500 node wrappers each time).
// The click handler it now hands React Flow, a stable one, still reaches the
// page.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { DagView } from './DagView';
import { NodeStateStore } from './nodeStore';

vi.mock('./elkLayout', () => ({
  computeLayout: async (ids: readonly string[]) => new Map(ids.map((id, i) => [id, { x: i * 200, y: 0 }])),
}));
// DagView calls useLayout once per render: the count of its renders.
const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('./useLayout', async (importOriginal) => {
  const real = await importOriginal<typeof import('./useLayout')>();
  return {
    ...real,
    useLayout: (...args: Parameters<typeof real.useLayout>) => {
      renders.count += 1;
      return real.useLayout(...args);
    },
  };
});

const edges = [{ source: 'build', target: 'test' }];

function Page({ store, onSelect }: { store: NodeStateStore; onSelect: (id: string) => void }) {
  const [progress, setProgress] = useState(0);
  return (
    <div style={{ width: 800, height: 400 }}>
      <button onClick={() => setProgress((p) => p + 10)}>progress {progress}</button>
      <DagView store={store} edges={edges} failingOnly={false} selectedId={null} onSelect={onSelect} />
    </div>
  );
}

describe('DagView', () => {
  it('is not rendered again when the page around it re-renders with the same props', async () => {
    const store = new NodeStateStore((f) => f());
    store.reset([
      { node_id: 'build', status: 'success' },
      { node_id: 'test', status: 'running' },
    ]);
    const onSelect = vi.fn();
    const { container } = render(<Page store={store} onSelect={onSelect} />);
    await waitFor(() => expect(container.querySelectorAll('.react-flow__node')).toHaveLength(2));
    await act(async () => new Promise((r) => setTimeout(r, 50))); // React Flow's own effects settle
    const before = renders.count;
    expect(before).toBeGreaterThan(0);

    fireEvent.click(screen.getByRole('button', { name: 'progress 0' }));
    await screen.findByRole('button', { name: 'progress 10' });
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    expect(renders.count).toBe(before);

    // The click handler handed to React Flow still reaches the page.
    fireEvent.click(container.querySelector('.react-flow__node[data-id="test"]')!);
    expect(onSelect).toHaveBeenCalledWith('test');
  });
});
