// The builder's model without React: opzenix.yml <-> model round trips on
// every example pipeline of the repository, the flow template the server
// receives, editing operations, and the server's errors placed on nodes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowArrays, modelFromFlowTemplate, toFlowTemplate } from './flowTemplate';
import { addNode, connect, EMPTY_MODEL, nodeIdProblem, removeNode, renameNode, type BuilderModel } from './model';
import { placeProblems, problemsByNode } from './problems';
import { modelFromYaml, modelToYaml } from './yamlFormat';

// The repository's examples/, found from wherever vitest runs (web/ or the root).
function examplesDir(): string {
  for (let dir = resolve(process.cwd()); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'examples', 'opzenix.yml'))) return join(dir, 'examples') + sep;
    if (dirname(dir) === dir) throw new Error(`no examples/opzenix.yml above ${process.cwd()}`);
  }
}
const EXAMPLES = examplesDir();

// examples/*.yml and examples/<dir>/*.yml
function examplePipelines(): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(EXAMPLES)) {
    const path = join(EXAMPLES, entry);
    if (entry.endsWith('.yml')) out.push(path);
    else if (statSync(path).isDirectory())
      for (const inner of readdirSync(path)) if (inner.endsWith('.yml')) out.push(join(path, inner));
  }
  return out.sort();
}

function read(text: string, previous?: BuilderModel): BuilderModel {
  const r = modelFromYaml(text, previous?.nodes);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return r.model;
}

describe('opzenix.yml <-> model', () => {
  const files = examplePipelines();

  it('finds the example pipelines', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(files.some((f) => f.endsWith('examples/opzenix.yml'))).toBe(true);
    expect(files.some((f) => f.endsWith('webapp/opzenix.yml'))).toBe(true);
  });

  it.each(files.map((f) => [f.slice(EXAMPLES.length), f]))('round trips %s: YAML -> model -> YAML -> model', (_, file) => {
    const first = read(readFileSync(file, 'utf8'));
    expect(first.nodes.length).toBeGreaterThan(0);
    const text = modelToYaml(first);
    const second = read(text, first);
    expect(second).toEqual(first);
    // and the text is stable from then on
    expect(modelToYaml(second)).toBe(text);
  });

  it('reads examples/opzenix.yml into nodes, edges and settings', () => {
    const m = read(readFileSync(join(EXAMPLES, 'opzenix.yml'), 'utf8'));
    expect(m.settings).toEqual({ name: 'web-app', env: { APP_NAME: 'web-app', NODE_ENV: 'production' }, max_parallel: 4, fail_fast: false, timeout: '1h' });
    expect(m.nodes.map((n) => [n.id, n.type, n.label])).toEqual([
      ['build', 'build', 'Build image'],
      ['test', 'test', undefined],
      ['scan', 'scan', undefined],
      ['approve', 'approval', undefined],
      ['deploy', 'deploy', undefined],
      ['notify', 'notify', undefined],
    ]);
    expect(m.edges).toEqual([
      { source: 'build', target: 'test' },
      { source: 'build', target: 'scan' },
      { source: 'test', target: 'approve' },
      { source: 'scan', target: 'approve' },
      { source: 'approve', target: 'deploy' },
      { source: 'deploy', target: 'notify' },
    ]);
    const test = m.nodes.find((n) => n.id === 'test')!;
    expect(test.data).toEqual({ timeout: '15m', env: { CI: 'true' }, run: 'npm test' });
    const deploy = m.nodes.find((n) => n.id === 'deploy')!;
    expect(deploy.data.if).toBe("branch == 'main' || branch =~ 'release/*'");
    expect(deploy.data.with).toEqual({ strategy: 'rolling' });
    // laid out left to right: build before test before approve
    const x = (id: string) => m.nodes.find((n) => n.id === id)!.position.x;
    expect(x('build')).toBeLessThan(x('test'));
    expect(x('test')).toBeLessThan(x('approve'));
  });

  it('writes the server format: type, name, needs first, one-line needs lists, default type omitted', () => {
    const m = read('name: p\nnodes:\n  a:\n    run: make\n  b:\n    run: make b\n  c:\n    type: test\n    name: C tests\n    needs: [a, b]\n    run: |\n      one\n      two\n');
    expect(modelToYaml(m)).toBe(
      'name: p\nnodes:\n  a:\n    run: make\n  b:\n    run: make b\n  c:\n    type: test\n    name: C tests\n    needs: [a, b]\n    run: |\n      one\n      two\n',
    );
  });

  it('keeps env values as written (0080, true)', () => {
    const m = read('env:\n  PORT: 0080\nnodes:\n  a:\n    env: {CI: true, N: 1.50, E: }\n    run: x\n');
    expect(m.settings.env).toEqual({ PORT: '0080' });
    expect(m.nodes[0]!.data.env).toEqual({ CI: 'true', N: '1.50', E: '' });
    expect(read(modelToYaml(m), m)).toEqual(m);
  });

  it('reports YAML syntax errors with their line and column', () => {
    const r = modelFromYaml('nodes:\n  a:\n    run: [x\n  b: 1\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(r.problems[0]!.message).not.toContain('\n');
  });

  it('reports what the canvas cannot draw, at its line', () => {
    const dup = modelFromYaml('nodes:\n  a: {run: x}\n  a: {run: y}\n');
    expect(dup.ok).toBe(false);
    const unknown = modelFromYaml('nodes:\n  a:\n    run: x\n  b:\n    needs: [a, phantom]\n    run: y\n');
    expect(unknown).toEqual({ ok: false, problems: [{ line: 5, column: 12, message: "nodes.b.needs: unknown node 'phantom'" }] });
    const list = modelFromYaml('nodes:\n  - a\n');
    expect(list.ok).toBe(false);
    if (!list.ok) expect(list.problems[0]).toMatchObject({ line: 2, message: expect.stringContaining('nodes: must be a map') });
    const scalarNode = modelFromYaml('nodes:\n  a: echo hi\n');
    expect(scalarNode.ok).toBe(false);
  });

  it('passes through what the server validates (unknown keys, bad values)', () => {
    const m = read('nodes:\n  a:\n    need: b\n    timeout: banana\n');
    expect(m.nodes[0]!.data).toEqual({ need: 'b', timeout: 'banana' });
  });

  it('keeps canvas positions of known nodes when the YAML changes a command', () => {
    const m = read('nodes:\n  a: {run: x}\n  b: {needs: a, run: y}\n');
    const moved: BuilderModel = { ...m, nodes: m.nodes.map((n) => ({ ...n, position: { x: 500, y: 7 } })) };
    const edited = read('nodes:\n  a: {run: x}\n  b: {needs: a, run: z}\n', moved);
    expect(edited.nodes.map((n) => n.position)).toEqual([{ x: 500, y: 7 }, { x: 500, y: 7 }]);
    expect(edited.nodes[1]!.data.run).toBe('z');
  });
});

describe('model -> flow template', () => {
  it('gives React Flow arrays with label and the node keys in data, and edges for needs', () => {
    const m = read('name: web\nenv: {APP: web}\nmax_parallel: 2\nnodes:\n  build:\n    type: build\n    name: Build\n    env: {APP: mine}\n    run: make\n  test:\n    type: test\n    needs: build\n    retry: true\n    run: make test\n');
    const t = toFlowTemplate(m);
    expect(t.nodes.map(({ id, type, data }) => ({ id, type, data }))).toEqual([
      { id: 'build', type: 'build', data: { label: 'Build', env: { APP: 'mine' }, run: 'make' } },
      { id: 'test', type: 'test', data: { label: 'test', env: { APP: 'web' }, retry: true, run: 'make test' } },
    ]);
    expect(t.edges).toEqual([{ id: 'build->test', source: 'build', target: 'test' }]);
    expect(t.dropped).toEqual(['max_parallel']);
    expect(t.nodes[0]!.position).toEqual(m.nodes[0]!.position);
  });

  it('reads a stored template back into the same nodes and edges', () => {
    const m = read('name: web\nnodes:\n  build:\n    type: build\n    name: Build\n    run: make\n  ship:\n    type: deploy\n    needs: build\n    environment: Staging\n    strategy: canary\n    traffic: ./w.sh\n    run: ./d.sh\n');
    const { nodes, edges } = flowArrays(m);
    const back = modelFromFlowTemplate('web', JSON.parse(JSON.stringify(nodes)), JSON.parse(JSON.stringify(edges)));
    expect(back).toEqual(m);
  });

  it('lays out template nodes saved without positions', () => {
    const back = modelFromFlowTemplate('t', [{ id: 'a', type: 'build', data: { run: 'x' } }, { id: 'b', data: { label: 'B' } }], [{ source: 'a', target: 'b' }]);
    expect(back.nodes.map((n) => [n.id, n.type, n.label])).toEqual([
      ['a', 'build', undefined],
      ['b', 'run', 'B'],
    ]);
    expect(back.nodes[0]!.position.x).toBeLessThan(back.nodes[1]!.position.x);
  });
});

describe('editing the model', () => {
  it('adds nodes with free ids and the fields their type requires', () => {
    let m = EMPTY_MODEL;
    const a = addNode(m, 'build', { x: 0, y: 0 });
    const b = addNode(a.model, 'build', { x: 10, y: 0 });
    m = addNode(b.model, 'approval', { x: 20, y: 0 }).model;
    expect(m.nodes.map((n) => [n.id, n.data])).toEqual([
      ['build', { run: '' }],
      ['build-2', { run: '' }],
      ['approval', { with: { required_approvals: 1 } }],
    ]);
  });

  it('connects once, never a node to itself, and drops edges with a removed node', () => {
    let m = addNode(addNode(EMPTY_MODEL, 'build', { x: 0, y: 0 }).model, 'test', { x: 1, y: 0 }).model;
    m = connect(connect(connect(m, 'build', 'test'), 'build', 'test'), 'test', 'test');
    expect(m.edges).toEqual([{ source: 'build', target: 'test' }]);
    expect(removeNode(m, 'build').edges).toEqual([]);
  });

  it('renames a node and its edges; refuses taken or invalid ids', () => {
    const m = connect(addNode(addNode(EMPTY_MODEL, 'build', { x: 0, y: 0 }).model, 'test', { x: 1, y: 0 }).model, 'build', 'test');
    expect(renameNode(m, 'build', 'compile').edges).toEqual([{ source: 'compile', target: 'test' }]);
    expect(nodeIdProblem(m, 'build', 'test')).toMatch(/Another node/);
    expect(nodeIdProblem(m, 'build', 'a b')).toMatch(/letters, digits/);
    expect(nodeIdProblem(m, 'build', '..')).not.toBeNull();
    expect(nodeIdProblem(m, 'build', 'build')).toBeNull();
  });
});

describe('server validation errors on nodes', () => {
  const m = read('nodes:\n  a: {run: x}\n  b: {needs: a, run: y}\n  c: {needs: b, run: z}\n');

  it('places node paths on their node, without the path prefix', () => {
    const p = placeProblems(
      [
        { code: 'validation_failed', message: 'nodes[1].data.retry.max_attempts: must be an integer between 1 and 100, got 0', field: 'nodes[1].data.retry.max_attempts' },
        { code: 'validation_failed', message: "nodes[2]: node 'c' has nothing to run: add run or steps", field: 'nodes[2]' },
      ],
      m,
    );
    expect(p).toEqual([
      { nodeId: 'b', field: 'retry.max_attempts', message: 'retry.max_attempts: must be an integer between 1 and 100, got 0' },
      { nodeId: 'c', field: null, message: "node 'c' has nothing to run: add run or steps" },
    ]);
  });

  it('puts a cycle on every node of it', () => {
    const p = placeProblems([{ message: 'nodes[0]: cycle in needs: a → b → c → a', field: 'nodes[0]' }], m);
    expect(p.map((x) => x.nodeId)).toEqual(['a', 'b', 'c']);
    expect(problemsByNode(p).get('b')![0]!.message).toBe('cycle in needs: a → b → c → a');
  });

  it('puts an edge problem on the node that needs, and the rest on the pipeline', () => {
    const p = placeProblems(
      [
        { message: "edges[1].target: unknown node 'x'", field: 'edges[1].target' },
        { message: 'nodes: must be a non-empty list of nodes, got an empty list', field: 'nodes' },
        { message: 'nodes[9].id: invalid', field: 'nodes[9].id' },
      ],
      m,
    );
    expect(p[0]).toEqual({ nodeId: 'c', field: 'needs', message: "needs b: unknown node 'x'" });
    expect(p[1]).toEqual({ nodeId: null, field: null, message: 'nodes: must be a non-empty list of nodes, got an empty list' });
    expect(p[2]!.nodeId).toBeNull();
  });

  it('reads the path from the message when the field is missing', () => {
    expect(placeProblems([{ message: 'nodes[0].data.timeout: invalid duration' }], m)[0]).toEqual({ nodeId: 'a', field: 'timeout', message: 'timeout: invalid duration' });
  });
});
