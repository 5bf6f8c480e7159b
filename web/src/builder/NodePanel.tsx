// The side panel for the selected node: exactly the fields the server's
// flow-template compiler reads (node_reader.h, deploy_reader.h): id, name,
// type, description, needs (the canvas's edges), commands, env, timeout,
// retry, condition, environment, checkpoint, continue_on_error, an
// approval's required approvals and a deploy node's spec. Who may approve
// is not a pipeline field: it is the environment's rule (reviewers, role).
import { useEffect, useState, type Dispatch } from 'react';
import { Button } from '../ui/Button';
import type { BuilderAction } from './builderState';
import { DeployEditor } from './DeployEditor';
import { EnvEditor } from './EnvEditor';
import { CheckField, PanelSection, SelectField, TextArea, TextField } from './fields';
import { CommandsEditor } from './CommandsEditor';
import { nodeIdProblem, PALETTE_TYPES, type BuilderModel, type BuilderNode, type JsonMap } from './model';
import { nodeLook } from './nodeLook';
import { NeedsEditor } from './NeedsEditor';
import {
  commandsOf,
  envOf,
  hasCanarySteps,
  requiredApprovalsOf,
  retryOf,
  textOf,
  tristateOf,
  withCommands,
  withEnv,
  withRequiredApprovals,
  withRetry,
  withText,
  withTristate,
  setField,
  type Tristate,
} from './nodeFields';
import type { Problem } from './problems';
import { RetryEditor } from './RetryEditor';

const NEEDS_COMMAND = new Set(['build', 'test', 'scan', 'deploy', 'run']);
const CHECKPOINT = [
  ['default', 'Default for the type'],
  ['on', 'On'],
  ['off', 'Off'],
] as const satisfies readonly (readonly [Tristate, string])[];

export interface NodePanelProps {
  model: BuilderModel;
  node: BuilderNode;
  problems: Problem[];
  dispatch: Dispatch<BuilderAction>;
}

export function NodePanel({ model, node, problems, dispatch }: NodePanelProps) {
  const [idDraft, setIdDraft] = useState(node.id);
  useEffect(() => setIdDraft(node.id), [node.id]);
  const idError = nodeIdProblem(model, node.id, idDraft);
  const commitId = () => {
    if (!idError && idDraft !== node.id) dispatch({ kind: 'rename', from: node.id, to: idDraft });
  };
  const data = node.data;
  const setData = (next: JsonMap) => dispatch({ kind: 'update', id: node.id, change: { data: next } });
  const look = nodeLook(node.type);
  const types = PALETTE_TYPES.includes(node.type as (typeof PALETTE_TYPES)[number]) ? PALETTE_TYPES : [...PALETTE_TYPES, node.type];
  const condition = data.if;

  return (
    <section data-testid="builder-panel" aria-labelledby="builder-panel-title" className="flex flex-col gap-3">
      <div className="flex items-center justify-between gap-2">
        <h2 id="builder-panel-title" className="truncate text-sm font-semibold">
          <span aria-hidden="true">{look.glyph} </span>
          {look.word} node <span className="font-mono">{node.id}</span>
        </h2>
        <Button size="sm" variant="ghost" className="text-bad" data-testid="builder-delete-node" onClick={() => dispatch({ kind: 'remove', id: node.id })}>
          Delete
        </Button>
      </div>
      {problems.length > 0 && (
        <ul className="flex flex-col gap-1 rounded border border-bad/40 bg-bad/5 p-2 text-xs text-bad" aria-label={`Problems of ${node.id}`}>
          {problems.map((p, i) => (
            <li key={i}>⚠ {p.message}</li>
          ))}
        </ul>
      )}
      <TextField label="Id" testId="builder-field-id" mono value={idDraft} error={idError} hint="Used in needs, logs and outputs" onChange={setIdDraft} onCommit={commitId} />
      <TextField label="Name" testId="builder-field-name" value={node.label ?? ''} placeholder={node.id} onChange={(label) => dispatch({ kind: 'update', id: node.id, change: { label } })} />
      <SelectField
        label="Type"
        value={node.type}
        options={types.map((t) => [t, nodeLook(t).word] as const)}
        onChange={(type) => dispatch({ kind: 'update', id: node.id, change: { type } })}
      />
      <TextField label="Description" value={textOf(data, 'description')} onChange={(v) => setData(withText(data, 'description', v))} />

      <PanelSection title="Needs">
        <NeedsEditor
          model={model}
          id={node.id}
          onConnect={(source) => dispatch({ kind: 'connect', source, target: node.id })}
          onDisconnect={(source) => dispatch({ kind: 'disconnect', source, target: node.id })}
        />
      </PanelSection>

      {node.type === 'approval' ? (
        <PanelSection title="Approval">
          <TextField label="Approvals required" type="number" value={requiredApprovalsOf(data)} placeholder="1" hint="1–100" onChange={(v) => setData(withRequiredApprovals(data, v))} />
          <TextField label="Environment" value={textOf(data, 'environment')} placeholder="the execution's environment" onChange={(v) => setData(withText(data, 'environment', v))} />
          <p className="text-xs text-muted">Who may approve is set on the environment (its reviewers and required role), not in the pipeline. The timeout below is the deadline for a decision.</p>
        </PanelSection>
      ) : (
        <PanelSection title={hasCanarySteps(data) ? 'Deploy command' : 'Commands'}>
          {hasCanarySteps(data) ? (
            <TextArea label="Command" testId="builder-field-run" value={textOf(data, 'run')} onChange={(v) => setData(setField(data, 'run', v))} />
          ) : (
            <CommandsEditor rows={commandsOf(data)} required={NEEDS_COMMAND.has(node.type)} onChange={(rows) => setData(withCommands(data, rows))} />
          )}
        </PanelSection>
      )}

      {node.type === 'deploy' && (
        <>
          <TextField label="Environment" testId="builder-field-environment" value={textOf(data, 'environment')} placeholder="the execution's environment" onChange={(v) => setData(withText(data, 'environment', v))} />
          <DeployEditor data={data} onChange={setData} />
        </>
      )}

      <PanelSection title="Environment variables">
        <EnvEditor rows={envOf(data)} onChange={(rows) => setData(withEnv(data, rows))} />
      </PanelSection>

      <PanelSection title="Timing">
        <TextField label="Timeout" value={textOf(data, 'timeout')} placeholder="none" hint="One attempt: e.g. 90s, 10m, 1h30m" onChange={(v) => setData(withText(data, 'timeout', v))} />
        <RetryEditor form={retryOf(data)} onChange={(f) => setData(withRetry(data, f))} />
      </PanelSection>

      <PanelSection title="When and how">
        {condition === undefined || typeof condition === 'string' ? (
          <TextField label="Run only if" mono value={textOf(data, 'if')} placeholder="branch == 'main'" hint="branch, tag, environment with ==, !=, =~ (glob), !~, &&, ||" onChange={(v) => setData(withText(data, 'if', v))} />
        ) : (
          <p className="text-xs text-muted">Runs only if a condition written as a map holds; edit it in the YAML tab.</p>
        )}
        {node.type !== 'deploy' && node.type !== 'approval' && (
          <TextField label="Environment" value={textOf(data, 'environment')} placeholder="the execution's environment" onChange={(v) => setData(withText(data, 'environment', v))} />
        )}
        <CheckField label="Continue on error" hint="A failure still lets the next nodes run; the execution ends with warnings" checked={data.continue_on_error === true} onChange={(v) => setData(setField(data, 'continue_on_error', v ? true : undefined))} />
        <SelectField label="Checkpoint" hint="Rerun from checkpoint resumes after this node" value={tristateOf(data, 'checkpoint')} options={CHECKPOINT} onChange={(v) => setData(withTristate(data, 'checkpoint', v))} />
      </PanelSection>
    </section>
  );
}
