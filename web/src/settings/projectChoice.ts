// Which project a per-project settings section shows: `?project=<id>` in the
// URL, else the top bar's project scope, else the first project. Sections
// that have global rules (branch mappings) also offer `?project=global`.
// Pure.
export const GLOBAL = 'global';

export function chosenProject(param: string | null, scope: string, projectIds: string[], allowGlobal: boolean): string {
  if (param === GLOBAL && allowGlobal) return GLOBAL;
  if (param && projectIds.includes(param)) return param;
  if (scope && projectIds.includes(scope)) return scope;
  return projectIds[0] ?? (allowGlobal ? GLOBAL : '');
}
