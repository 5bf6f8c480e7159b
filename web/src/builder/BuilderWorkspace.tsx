// The builder once its pipeline is loaded: header (name, save, run), the
// Canvas and YAML tabs, the palette, the side panel and the problems list.
// Must be inside a ReactFlowProvider.
import { useReactFlow } from '@xyflow/react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../shell/useSession';
import { Button } from '../ui/Button';
import { errorText } from '../ui/ErrorState';
import { flowTemplatesKey, saveFlowTemplate, type FlowTemplate } from './api';
import { BuilderCanvas } from './BuilderCanvas';
import { builderReducer, initialState } from './builderState';
import { toFlowTemplate } from './flowTemplate';
import { pipelineName, type BuilderModel } from './model';
import { NodePanel } from './NodePanel';
import { Palette } from './Palette';
import { PipelinePanel, type TemplateMeta } from './PipelinePanel';
import { problemsByNode } from './problems';
import { ProblemsList } from './ProblemsList';
import { RunDialog } from './RunDialog';
import { saveBlocker, runBlocker } from './readiness';
import { useLiveValidation } from './useLiveValidation';
import { YamlEditor } from './YamlEditor';

const CLICK_GAP_X = 240;

export interface BuilderWorkspaceProps {
  initial: BuilderModel;
  initialMeta: TemplateMeta;
  templateId: string | null; // the saved flow template, if any
  projectId: string | null; // its project (a new one: the chosen project)
  heading: string;
}

export function BuilderWorkspace({ initial, initialMeta, templateId, projectId, heading }: BuilderWorkspaceProps) {
  const [state, dispatch] = useReducer(builderReducer, initial, initialState);
  const [meta, setMeta] = useState(initialMeta);
  const [metaEdited, setMetaEdited] = useState(false);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'yaml' ? 'yaml' : 'canvas';
  const session = useSession();
  const role = session?.user.role ?? 'viewer';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const flow = useReactFlow();
  const validation = useLiveValidation(state.model);
  const byNode = useMemo(() => problemsByNode(validation.problems), [validation.problems]);
  const dropped = useMemo(() => toFlowTemplate(state.model).dropped, [state.model]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const fitAfterAdd = useRef(false);

  const name = pipelineName(state.model);
  const edited = state.edited || metaEdited;
  const selected = state.model.nodes.find((n) => n.id === state.selectedId) ?? null;

  const addByClick = useCallback(
    (type: string) => {
      const last = state.model.nodes[state.model.nodes.length - 1];
      fitAfterAdd.current = true;
      dispatch({ kind: 'add', nodeType: type, position: last ? { x: last.position.x + CLICK_GAP_X, y: last.position.y } : { x: 0, y: 0 } });
    },
    [state.model.nodes],
  );
  useEffect(() => {
    if (!fitAfterAdd.current) return;
    fitAfterAdd.current = false;
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1 }));
    return () => cancelAnimationFrame(frame);
  }, [state.model.nodes.length, flow]);

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const { nodes, edges } = toFlowTemplate(state.model);
      const project = templateId ? {} : projectId ? { project_id: projectId } : {};
      const saved: FlowTemplate = await saveFlowTemplate(templateId, { name, description: meta.description, type: meta.flowType, nodes, edges, ...project });
      dispatch({ kind: 'saved' });
      setMetaEdited(false);
      void queryClient.invalidateQueries({ queryKey: flowTemplatesKey });
      if (!templateId) navigate({ pathname: `/pipelines/${saved.id}/edit`, search: params.toString() }, { replace: true, state: { flowTemplate: saved } });
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  const blockSave = saveBlocker({ role, name, nodes: state.model.nodes.length, validation: validation.status, problems: validation.problems.length, yamlProblems: state.yamlProblems.length, saving, edited, saved: Boolean(templateId) });
  const blockRun = runBlocker({ role, saved: Boolean(templateId), edited });
  const setTab = (t: 'canvas' | 'yaml') => {
    const next = new URLSearchParams(params);
    if (t === 'yaml') next.set('tab', 'yaml');
    else next.delete('tab');
    setParams(next, { replace: true });
  };
  const tabClass = (on: boolean) => `rounded-t border-b-2 px-3 py-1.5 text-sm ${on ? 'border-accent font-semibold text-fg' : 'border-transparent text-muted hover:text-fg'}`;

  return (
    <section aria-labelledby="builder-title" className="flex h-[calc(100vh-6rem)] min-h-[560px] flex-col gap-3">
      <div className="flex items-end gap-3">
        <h1 id="builder-title" className="min-w-0 truncate text-xl font-semibold" title={heading}>
          {heading}
        </h1>
        <label className="flex shrink-0 flex-col text-xs font-medium text-muted">
          Pipeline name
          <input
            data-testid="builder-name"
            value={name}
            placeholder="e.g. web-app"
            onChange={(e) => dispatch({ kind: 'name', name: e.target.value })}
            className="w-56 rounded border border-border bg-surface px-2 py-1 text-sm text-fg"
          />
        </label>
        <span className="shrink-0 text-xs text-muted" role="status">
          {edited ? 'Unsaved changes' : templateId ? 'Saved' : ''}
        </span>
        <div className="flex-1" />
        <Button className="shrink-0" data-testid="builder-save" variant="primary" disabled={blockSave !== null} reason={blockSave ?? undefined} onClick={() => void save()}>
          {saving ? 'Saving…' : templateId ? 'Save changes' : 'Save'}
        </Button>
        <Button className="shrink-0" data-testid="builder-run" disabled={blockRun !== null} reason={blockRun ?? undefined} onClick={() => setRunning(true)}>
          Run…
        </Button>
      </div>
      {saveError !== null && (
        <p role="alert" className="rounded border border-bad/40 bg-bad/5 p-2 text-sm text-bad">
          Could not save: {errorText(saveError)}
        </p>
      )}
      <div role="tablist" aria-label="Pipeline views" className="flex gap-1 border-b border-border">
        <button type="button" role="tab" aria-selected={tab === 'canvas'} data-testid="builder-canvas-tab" className={tabClass(tab === 'canvas')} onClick={() => setTab('canvas')}>
          Canvas
        </button>
        <button type="button" role="tab" aria-selected={tab === 'yaml'} data-testid="builder-yaml-tab" className={tabClass(tab === 'yaml')} onClick={() => setTab('yaml')}>
          YAML{state.yamlProblems.length ? ' ⚠' : ''}
        </button>
      </div>
      <div role="tabpanel" aria-label={tab === 'yaml' ? 'YAML' : 'Canvas'} className="flex min-h-0 flex-1 gap-3">
        {tab === 'canvas' ? (
          <>
            <div className="flex min-w-0 flex-1 flex-col gap-2">
              <Palette onAdd={addByClick} />
              <div className="min-h-0 flex-1 overflow-hidden rounded border border-border bg-surface">
                <BuilderCanvas model={state.model} selectedId={state.selectedId} problems={byNode} dispatch={dispatch} />
              </div>
              <ProblemsList validation={validation} yamlProblems={state.yamlProblems.length} dropped={dropped} onSelect={(id) => dispatch({ kind: 'select', id })} />
            </div>
            <aside aria-label="Selected node" className="w-80 shrink-0 overflow-y-auto rounded border border-border bg-surface p-3">
              {selected ? (
                <NodePanel key={selected.id} model={state.model} node={selected} problems={byNode.get(selected.id) ?? []} dispatch={dispatch} />
              ) : (
                <PipelinePanel
                  model={state.model}
                  meta={meta}
                  onMeta={(m) => {
                    setMeta(m);
                    setMetaEdited(true);
                  }}
                  onSettings={(settings) => dispatch({ kind: 'settings', settings })}
                />
              )}
            </aside>
          </>
        ) : (
          <>
            <div className="min-w-0 flex-1">
              <YamlEditor text={state.yamlText} problems={state.yamlProblems} onChange={(text) => dispatch({ kind: 'yaml', text })} />
            </div>
            <aside className="w-80 shrink-0">
              <ProblemsList validation={validation} yamlProblems={state.yamlProblems.length} dropped={dropped} onSelect={(id) => {
                dispatch({ kind: 'select', id });
                setTab('canvas');
              }} />
            </aside>
          </>
        )}
      </div>
      {running && templateId && <RunDialog templateId={templateId} templateName={name} projectId={projectId ?? undefined} onClose={() => setRunning(false)} />}
    </section>
  );
}
