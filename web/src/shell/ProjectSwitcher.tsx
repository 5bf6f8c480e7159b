// The top bar's project switcher: all projects or one (projectScope.ts).
import { useQuery } from '@tanstack/react-query';
import { projectsQuery } from './queries';
import { setProjectScope, useProjectScope } from './projectScope';

export function ProjectSwitcher() {
  const scope = useProjectScope();
  const projects = useQuery(projectsQuery);
  const items = projects.data?.items ?? [];
  const known = scope === '' || items.some((p) => p.id === scope);
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-muted">Project</span>
      <select
        data-testid="project-switcher"
        value={scope}
        onChange={(e) => setProjectScope(e.target.value)}
        className="max-w-56 rounded border border-border bg-surface px-2 py-1"
      >
        <option value="">All projects</option>
        {items.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
        {!known && <option value={scope}>{projects.isLoading ? 'Loading…' : 'A project you cannot see'}</option>}
      </select>
    </label>
  );
}
