// Project id → name, from the shared projects query.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Project } from '../api/types';
import { projectsQuery } from '../shell/queries';

export function useProjects(): { projects: Project[]; names: Map<string, string> } {
  const q = useQuery(projectsQuery);
  return useMemo(() => {
    const projects = q.data?.items ?? [];
    return { projects, names: new Map(projects.map((p) => [p.id, p.name])) };
  }, [q.data]);
}
