// The project a per-project section shows, bound to `?project=` (see
// projectChoice.ts); with `allowGlobal`, the global scope is a choice too
// (`globalLabel` says what it means in that section).
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { Project } from '../api/types';
import { useProjectScope } from '../shell/projectScope';
import { projectsQuery } from '../shell/queries';
import { chosenProject, GLOBAL } from './projectChoice';
import { inputClass } from './Field';

export interface SettingsProject {
  projectId: string;
  projects: Project[];
  loading: boolean; // the projects are not known yet
  setProject: (id: string) => void;
}

export function useSettingsProject(allowGlobal = false): SettingsProject {
  const [params, setParams] = useSearchParams();
  const scope = useProjectScope();
  const q = useQuery(projectsQuery);
  const projects = q.data?.items ?? [];
  const projectId = chosenProject(params.get('project'), scope, projects.map((p) => p.id), allowGlobal);
  const setProject = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('project', id);
    setParams(next, { replace: true });
  };
  return { projectId, projects, loading: q.isPending, setProject };
}

export function ProjectPicker({
  projectId,
  projects,
  onChange,
  allowGlobal = false,
  label = 'Project',
  globalLabel = 'Global defaults (every project without its own rules)',
}: {
  projectId: string;
  projects: Project[];
  onChange: (id: string) => void;
  allowGlobal?: boolean;
  label?: string;
  globalLabel?: string;
}) {
  return (
    <label className="flex items-center gap-2 text-sm font-medium">
      {label}
      <select data-testid="settings-project" value={projectId} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        {allowGlobal && <option value={GLOBAL}>{globalLabel}</option>}
        {projects.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
