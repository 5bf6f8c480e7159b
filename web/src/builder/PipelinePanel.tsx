// The side panel when no node is selected: the flow template's description
// and flow type, and how to edit nodes.
import { FLOW_TYPE_WORDS } from '../pipelines/flowTypes';
import { FLOW_TYPES, type FlowType } from './api';
import { SelectField, TextArea } from './fields';
import type { BuilderModel } from './model';

export interface TemplateMeta {
  description: string;
  flowType: FlowType;
}

export function PipelinePanel({ model, meta, onMeta }: { model: BuilderModel; meta: TemplateMeta; onMeta: (m: TemplateMeta) => void }) {
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
    </section>
  );
}
