// When no project is chosen: the environments belong to a project, so the
// page lists the projects to pick one (the choice also sets the top bar's
// project, so other pages follow).
import { useQuery } from '@tanstack/react-query';
import { setProjectScope } from '../shell/projectScope';
import { projectsQuery } from '../shell/queries';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';

export function ProjectPicker() {
  const projects = useQuery(projectsQuery);
  if (projects.isPending) return <SkeletonRows rows={4} label="Loading projects" />;
  if (projects.isError) return <ErrorState title="The projects could not be loaded" error={projects.error} onRetry={() => void projects.refetch()} />;
  const items = projects.data.items;
  if (items.length === 0) {
    return (
      <EmptyState title="No project yet">
        Environments belong to a project. Create one (POST /api/v1/projects, or Settings → GitHub) and its four standard environments appear here.
      </EmptyState>
    );
  }
  return (
    <section aria-label="Pick a project" className="flex flex-col gap-2">
      <p className="text-sm">Environments belong to a project. Pick one (the top bar's project switcher does the same):</p>
      <ul className="flex flex-col gap-1" data-testid="project-picker">
        {items.map((p) => (
          <li key={p.id}>
            <Button onClick={() => setProjectScope(p.id)}>{p.name}</Button>
            {p.description && <span className="ml-2 text-sm text-muted">{p.description}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
