// The page's state: canvas edits rewrite the YAML; YAML edits re-read the
// canvas when they parse and keep the last good canvas when they do not.
import { describe, expect, it } from 'vitest';
import { builderReducer, initialState, type BuilderAction, type BuilderState } from './builderState';
import { EMPTY_MODEL } from './model';

const run = (actions: BuilderAction[], from: BuilderState = initialState(EMPTY_MODEL)) => actions.reduce(builderReducer, from);

describe('builderReducer', () => {
  it('adds from the palette, selects the new node and writes it into the YAML', () => {
    const s = run([
      { kind: 'add', nodeType: 'build', position: { x: 0, y: 0 } },
      { kind: 'add', nodeType: 'test', position: { x: 240, y: 0 } },
      { kind: 'connect', source: 'build', target: 'test' },
      { kind: 'name', name: 'web' },
    ]);
    expect(s.selectedId).toBe('test');
    expect(s.edited).toBe(true);
    expect(s.yamlText).toBe('name: web\nnodes:\n  build:\n    type: build\n    run: ""\n  test:\n    type: test\n    needs: build\n    run: ""\n');
  });

  it('moving a node leaves the YAML text alone', () => {
    const s = run([{ kind: 'add', nodeType: 'build', position: { x: 0, y: 0 } }]);
    const moved = builderReducer(s, { kind: 'move', id: 'build', position: { x: 99, y: 1 } });
    expect(moved.yamlText).toBe(s.yamlText);
    expect(moved.model.nodes[0]!.position).toEqual({ x: 99, y: 1 });
  });

  it('a YAML edit that parses replaces the model, keeping the typed text as is', () => {
    const s = run([{ kind: 'add', nodeType: 'build', position: { x: 5, y: 6 } }]);
    const text = '# mine\nnodes:\n  build:\n    type: build\n    run: make   # fast\n';
    const next = builderReducer(s, { kind: 'yaml', text });
    expect(next.yamlText).toBe(text);
    expect(next.yamlProblems).toEqual([]);
    expect(next.model.nodes).toEqual([{ id: 'build', type: 'build', data: { run: 'make' }, position: { x: 5, y: 6 } }]);
    expect(next.selectedId).toBe('build');
  });

  it('a YAML edit that does not parse keeps the last good model and lists the problem', () => {
    const s = run([{ kind: 'add', nodeType: 'build', position: { x: 0, y: 0 } }]);
    const next = builderReducer(s, { kind: 'yaml', text: 'nodes:\n  build: [\n' });
    expect(next.model).toBe(s.model);
    expect(next.yamlProblems.length).toBeGreaterThan(0);
    expect(next.yamlText).toBe('nodes:\n  build: [\n');
  });

  it('renames follow the selection; removing the selected node clears it', () => {
    let s = run([{ kind: 'add', nodeType: 'build', position: { x: 0, y: 0 } }]);
    s = builderReducer(s, { kind: 'rename', from: 'build', to: 'compile' });
    expect(s.selectedId).toBe('compile');
    s = builderReducer(s, { kind: 'remove', id: 'compile' });
    expect(s.selectedId).toBeNull();
    expect(s.yamlText).toBe('nodes: {}\n');
  });

  it('pipeline settings (env) go to the top of the YAML; saved clears the edited flag', () => {
    let s = run([{ kind: 'add', nodeType: 'build', position: { x: 0, y: 0 } }]);
    s = builderReducer(s, { kind: 'settings', settings: { env: { APP: 'web' } } });
    expect(s.yamlText.startsWith('env:\n  APP: web\nnodes:\n')).toBe(true);
    expect(builderReducer(s, { kind: 'saved' }).edited).toBe(false);
  });
});
