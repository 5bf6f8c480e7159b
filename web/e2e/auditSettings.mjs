// Browser scenarios: the audit log and the settings pages (issue 11).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
export const scenarios = [];
