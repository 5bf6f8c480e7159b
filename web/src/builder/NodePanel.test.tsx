// The side panel edits exactly the fields the server's compiler reads, and
// the YAML follows each edit (the builder's reducer drives both).
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useReducer } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { builderReducer, initialState } from './builderState';
import { NodePanel } from './NodePanel';
import type { Problem } from './problems';
import { modelFromYaml } from './yamlFormat';

function Harness({ yaml, id, problems = [] }: { yaml: string; id: string; problems?: Problem[] }) {
  const read = modelFromYaml(yaml);
  if (!read.ok) throw new Error('bad fixture');
  const [state, dispatch] = useReducer(builderReducer, read.model, initialState);
  const node = state.model.nodes.find((n) => n.id === (state.selectedId ?? id)) ?? state.model.nodes.find((n) => n.id === id);
  return (
    <>
      {node && <NodePanel model={state.model} node={node} problems={problems} dispatch={dispatch} />}
      <pre data-testid="yaml">{state.yamlText}</pre>
    </>
  );
}

const yaml = () => screen.getByTestId('yaml').textContent ?? '';
const field = (label: string | RegExp) => screen.getByLabelText(label) as HTMLInputElement;
const PIPELINE = 'nodes:\n  build:\n    type: build\n    run: make\n  test:\n    type: test\n    needs: build\n    run: make test\n  ship:\n    type: deploy\n    needs: test\n    run: ./deploy.sh\n  gate:\n    type: approval\n';

afterEach(cleanup);

describe('NodePanel', () => {
  it('edits the command, and the YAML follows', () => {
    render(<Harness yaml={PIPELINE} id="test" />);
    fireEvent.change(screen.getByTestId('builder-field-run'), { target: { value: 'npm test' } });
    expect(yaml()).toContain('  test:\n    type: test\n    needs: build\n    run: npm test\n');
  });

  it('turns one command into named steps', () => {
    render(<Harness yaml={PIPELINE} id="build" />);
    fireEvent.click(screen.getByRole('button', { name: 'Add a step' }));
    fireEvent.change(field('Step 2 command'), { target: { value: 'make lint' } });
    fireEvent.change(field('Step 2 name'), { target: { value: 'lint' } });
    expect(yaml()).toContain('    steps:\n      - run: make\n      - name: lint\n        run: make lint\n');
    expect(yaml()).not.toContain('    type: build\n    run: make');
  });

  it('shows needs from the edges and removes one', () => {
    render(<Harness yaml={PIPELINE} id="test" />);
    const needs = screen.getByTestId('builder-needs');
    expect(within(needs).getByText('build')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Stop needing build' }));
    expect(yaml()).not.toContain('needs: build');
    expect(within(screen.getByTestId('builder-needs')).getByText('Needs nothing: starts first.')).toBeTruthy();
  });

  it('refuses a taken or invalid id and renames edges with a valid one', () => {
    render(<Harness yaml={PIPELINE} id="build" />);
    const id = screen.getByTestId('builder-field-id') as HTMLInputElement;
    fireEvent.change(id, { target: { value: 'test' } });
    fireEvent.blur(id);
    expect(screen.getByText("Another node is called 'test'.")).toBeTruthy();
    expect(yaml()).toContain('  build:\n');
    fireEvent.change(id, { target: { value: 'compile' } });
    fireEvent.blur(id);
    expect(yaml()).toContain('  compile:\n');
    expect(yaml()).toContain('needs: compile');
  });

  it('sets env, timeout and a custom retry', () => {
    render(<Harness yaml={PIPELINE} id="test" />);
    fireEvent.click(screen.getByRole('button', { name: 'Add a variable' }));
    fireEvent.change(field('Variable 1 name'), { target: { value: 'CI' } });
    fireEvent.change(field('Variable CI value'), { target: { value: 'true' } });
    fireEvent.change(field(/^Timeout/), { target: { value: '15m' } });
    fireEvent.change(field('Retry'), { target: { value: 'custom' } });
    fireEvent.change(field(/^Attempts/), { target: { value: '3' } });
    expect(yaml()).toContain('    env:\n      CI: "true"\n    timeout: 15m\n    retry:\n      max_attempts: 3\n');
  });

  it('edits a deploy: environment, canary with its traffic command and steps, an HTTP health check', () => {
    render(<Harness yaml={PIPELINE} id="ship" />);
    fireEvent.change(screen.getByTestId('builder-field-environment'), { target: { value: 'Production' } });
    fireEvent.change(screen.getByTestId('builder-field-strategy'), { target: { value: 'canary' } });
    fireEvent.change(field(/^Traffic command/), { target: { value: './weights.sh' } });
    fireEvent.click(screen.getByRole('button', { name: '+ Weight' }));
    fireEvent.change(field(/Step 1: traffic weight/), { target: { value: '20' } });
    fireEvent.click(screen.getByRole('button', { name: '+ Pause' }));
    fireEvent.change(field('Health check'), { target: { value: 'http' } });
    fireEvent.change(field('URL'), { target: { value: 'http://127.0.0.1:8081/health' } });
    expect(yaml()).toContain(
      '    run: ./deploy.sh\n    environment: Production\n    strategy: canary\n    traffic: ./weights.sh\n    steps:\n      - set_weight: 20\n      - pause: 5m\n    health_check:\n      http:\n        url: http://127.0.0.1:8081/health\n',
    );
    // the canary's deploy command stays `run`
    expect(screen.getByText('Deploy command')).toBeTruthy();
    fireEvent.change(screen.getByTestId('builder-field-strategy'), { target: { value: 'rolling' } });
    expect(yaml()).not.toContain('traffic:');
    expect(yaml()).not.toContain('set_weight');
  });

  it('edits an approval gate: required approvals in `with`, and says who approves', () => {
    render(<Harness yaml={PIPELINE} id="gate" />);
    fireEvent.change(field(/^Approvals required/), { target: { value: '2' } });
    expect(yaml()).toContain('  gate:\n    type: approval\n    with:\n      required_approvals: 2\n');
    expect(screen.getByText(/Who may approve is set on the environment/)).toBeTruthy();
    expect(screen.queryByTestId('builder-field-run')).toBeNull();
  });

  it('lists the node’s problems', () => {
    render(<Harness yaml={PIPELINE} id="build" problems={[{ nodeId: 'build', field: 'timeout', message: "timeout: invalid duration 'soon'" }]} />);
    expect(screen.getByRole('list', { name: 'Problems of build' }).textContent).toContain("timeout: invalid duration 'soon'");
  });
});
