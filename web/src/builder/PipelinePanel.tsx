// The side panel when no node is selected: the flow template's description
// and flow type, the pipeline's environment variables (a flow template
// keeps them in every node's env), and how to edit nodes.
import { FLOW_TYPE_WORDS } from '../pipelines/flowTypes';
import { FLOW_TYPES, type FlowType } from './api';
import { EnvEditor } from './EnvEditor';
import { PanelSection, SelectField, TextArea } from './fields';
import type { BuilderModel, JsonMap } from './model';
import { envOf, withEnv } from './nodeFields';

export interface TemplateMeta {
  description: string;
  flowType: FlowType;
}

export interface PipelinePanelProps {
  model: BuilderModel;
  meta: TemplateMeta;
  onMeta: (m: TemplateMeta) => void;
  onSettings: (settings: JsonMap) => void;
}

export function PipelinePanel({ model, meta, onMeta, onSettings }: PipelinePanelProps) {
  return (
    <section data-testid="builder-panel" aria-labelledby="builder-pipeline-title" className="flex flex-col gap-3">
      <h2 id="builder-pipeline-title" className="text-sm font-semibold">
        Pipeline
      </h2>
      <p className="text-xs text-muted">
        {model.nodes.length} node{model.nodes.length === 1 ? '' : 's'}, {model.edges.length} connection{model.edges.length === 1 ? '' : 's'}. Select a node to
        edit its commands, environment, retry, timeout and, for deploys, the strategy and health check.
      </p>
      <SelectField label="Flow type" value={meta.flowType} options={FLOW_TYPES.map((t) => [t, FLOW_TYPE_WORDS[t]] as const)} onChange={(flowType) => onMeta({ ...meta, flowType })} />
      <TextArea label="Description" value={meta.description} onChange={(description) => onMeta({ ...meta, description })} />
      <PanelSection title="Environment variables">
        <p className="text-xs text-muted">For every node; a node&apos;s own value wins. A saved flow template keeps them in each node.</p>
        <EnvEditor rows={envOf(model.settings)} onChange={(rows) => onSettings(withEnv(model.settings, rows))} />
      </PanelSection>
    </section>
  );
}
