// Why Save or Run cannot be pressed now, in the user's words (null: it can).
// Pure.
import type { ValidationStatus } from './useLiveValidation';

export function canManagePipelines(role: string): boolean {
  return role === 'admin' || role === 'operator';
}

export interface SaveFacts {
  role: string;
  name: string;
  nodes: number;
  validation: ValidationStatus;
  problems: number;
  yamlProblems: number;
  saving: boolean;
  edited: boolean;
  saved: boolean;
}

export function saveBlocker(f: SaveFacts): string | null {
  if (!canManagePipelines(f.role)) return 'Viewers cannot save pipelines: operators and admins can.';
  if (f.saving) return 'Saving…';
  if (f.saved && !f.edited) return 'No changes to save.';
  if (f.nodes === 0) return 'Add a node first.';
  if (!f.name.trim()) return 'Name the pipeline first.';
  if (f.yamlProblems > 0) return 'Fix the YAML first: it does not read as a pipeline.';
  if (f.validation === 'invalid') return `Fix the ${f.problems === 1 ? 'problem' : `${f.problems} problems`} first.`;
  return null;
}

export function runBlocker(f: { role: string; saved: boolean; edited: boolean }): string | null {
  if (!canManagePipelines(f.role)) return 'Viewers cannot start runs: operators and admins can.';
  if (!f.saved) return 'Save the pipeline first: a run starts from the saved pipeline.';
  if (f.edited) return 'Save your changes first: a run starts from the saved pipeline.';
  return null;
}
