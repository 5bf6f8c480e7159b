// The project a per-project section shows, bound to `?project=` (see
// projectChoice.ts); with `allowGlobal`, "Global defaults" is a choice too.
import { useSearchParams } from 'react-router';
import type { Project } from '../api/types';
import { useProjects } from '../executions/useProjectNames';
import { useProjectScope } from '../shell/projectScope';
import { chosenProject, GLOBAL } from './projectChoice';
import { inputClass } from './Field';

export function useSettingsProject(allowGlobal = false): { projectId: string; projects: Project[]; setProject: (id: string) => void } {
  const [params, setParams] = useSearchParams();
  const scope = useProjectScope();
  const { projects } = useProjects();
  const projectId = chosenProject(params.get('project'), scope, projects.map((p) => p.id), allowGlobal);
  const setProject = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('project', id);
    setParams(next, { replace: true });
  };
  return { projectId, projects, setProject };
}

export function ProjectPicker({
  projectId,
  projects,
  onChange,
  allowGlobal = false,
}: {
  projectId: string;
  projects: Project[];
  onChange: (id: string) => void;
  allowGlobal?: boolean;
}) {
  return (
    <label className="flex items-center gap-2 text-sm font-medium">
      Project
      <select data-testid="settings-project" value={projectId} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        {allowGlobal && <option value={GLOBAL}>Global defaults (every project without its own rules)</option>}
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
