// The builder page's state: the model (what the canvas draws), the YAML
// text (what the YAML tab shows), the YAML's problems and the selected
// node. Edits from the canvas or the panel rewrite the YAML from the model;
// edits of the YAML text re-read the model from it when it parses, and
// otherwise keep the last good model (the canvas does not break while the
// user types). Moving a node changes no YAML. Pure reducer.
import {
  addNode,
  connect,
  disconnect,
  moveNode,
  removeNode,
  renameNode,
  updateNode,
  withPipelineName,
  type BuilderModel,
  type JsonMap,
  type NodeChange,
  type Position,
} from './model';
import { modelFromYaml, modelToYaml, type YamlProblem } from './yamlFormat';

export interface BuilderState {
  model: BuilderModel;
  yamlText: string;
  yamlProblems: YamlProblem[];
  selectedId: string | null;
  edited: boolean; // changed since loaded or saved
}

export type BuilderAction =
  | { kind: 'load'; model: BuilderModel }
  | { kind: 'saved' }
  | { kind: 'add'; nodeType: string; position: Position }
  | { kind: 'move'; id: string; position: Position }
  | { kind: 'remove'; id: string }
  | { kind: 'connect'; source: string; target: string }
  | { kind: 'disconnect'; source: string; target: string }
  | { kind: 'update'; id: string; change: NodeChange }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'name'; name: string }
  | { kind: 'settings'; settings: JsonMap }
  | { kind: 'select'; id: string | null }
  | { kind: 'yaml'; text: string };

export function initialState(model: BuilderModel): BuilderState {
  return { model, yamlText: modelToYaml(model), yamlProblems: [], selectedId: null, edited: false };
}

function fromCanvas(state: BuilderState, model: BuilderModel, selectedId = state.selectedId): BuilderState {
  if (model === state.model && selectedId === state.selectedId) return state;
  return { model, yamlText: modelToYaml(model), yamlProblems: [], selectedId, edited: true };
}

export function builderReducer(state: BuilderState, a: BuilderAction): BuilderState {
  switch (a.kind) {
    case 'load':
      return initialState(a.model);
    case 'saved':
      return { ...state, edited: false };
    case 'add': {
      const added = addNode(state.model, a.nodeType, a.position);
      return fromCanvas(state, added.model, added.id);
    }
    case 'move':
      return { ...state, model: moveNode(state.model, a.id, a.position) };
    case 'remove':
      return fromCanvas(state, removeNode(state.model, a.id), state.selectedId === a.id ? null : state.selectedId);
    case 'connect':
      return fromCanvas(state, connect(state.model, a.source, a.target));
    case 'disconnect':
      return fromCanvas(state, disconnect(state.model, a.source, a.target));
    case 'update':
      return fromCanvas(state, updateNode(state.model, a.id, a.change));
    case 'rename':
      return fromCanvas(state, renameNode(state.model, a.from, a.to), state.selectedId === a.from ? a.to : state.selectedId);
    case 'name':
      return fromCanvas(state, withPipelineName(state.model, a.name));
    case 'settings':
      return fromCanvas(state, { ...state.model, settings: a.settings });
    case 'select':
      return a.id === state.selectedId ? state : { ...state, selectedId: a.id };
    case 'yaml': {
      const read = modelFromYaml(a.text, state.model.nodes);
      if (!read.ok) return { ...state, yamlText: a.text, yamlProblems: read.problems, edited: true };
      const selectedId = read.model.nodes.some((n) => n.id === state.selectedId) ? state.selectedId : null;
      return { model: read.model, yamlText: a.text, yamlProblems: [], selectedId, edited: true };
    }
  }
}
