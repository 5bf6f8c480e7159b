// Browser scenarios: the visual pipeline builder and the template library (issue 11).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
export const scenarios = [];
