// The caller's dashboard layouts (docs/api.md "Per-user dashboards"). The
// dashboard uses the user's default layout only: saving updates it (or creates
// it, named "Dashboard", as the default), "Reset to default" deletes it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, post, put } from '../../api/client';
import { resolveSections, toLayoutJson, type SectionState } from './sections';

export interface DashboardLayout {
  id: string;
  user_id: string;
  name: string;
  layout: unknown;
  is_default: boolean;
  created_at: string;
  updated_at: string;
}

export const layoutKeys = { all: ['dashboard-layouts'] as const };

const PATH = '/api/v1/dashboard-layouts';
export const LAYOUT_NAME = 'Dashboard';

export const fetchLayouts = () => get<{ items: DashboardLayout[] }>(PATH);

export function defaultLayout(items: DashboardLayout[] | undefined): DashboardLayout | undefined {
  return items?.find((l) => l.is_default);
}

export async function saveSections(current: DashboardLayout | undefined, sections: SectionState[]): Promise<DashboardLayout> {
  const layout = toLayoutJson(sections);
  if (current) return put<DashboardLayout>(`${PATH}/${encodeURIComponent(current.id)}`, { layout });
  return post<DashboardLayout>(PATH, { name: LAYOUT_NAME, layout, is_default: true });
}

export const deleteLayout = (id: string) => del<void>(`${PATH}/${encodeURIComponent(id)}`);

// The arrangement in force (the default one while loading or on an error: the
// dashboard never waits for its layout), and the actions the editor needs.
export function useDashboardLayout() {
  const client = useQueryClient();
  const layouts = useQuery({ queryKey: layoutKeys.all, queryFn: fetchLayouts, staleTime: 60_000 });
  const current = defaultLayout(layouts.data?.items);
  const sections = resolveSections(current?.layout);
  const refresh = () => client.invalidateQueries({ queryKey: layoutKeys.all });
  const save = useMutation({ mutationFn: (next: SectionState[]) => saveSections(current, next), onSuccess: refresh });
  const reset = useMutation({
    mutationFn: async () => {
      if (current) await deleteLayout(current.id);
    },
    onSuccess: refresh,
  });
  return { sections, saved: Boolean(current), loading: layouts.isPending, save, reset };
}
