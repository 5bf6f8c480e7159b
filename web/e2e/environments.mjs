// Browser scenarios: environments, locks, rollback, promotion and deployment detail (issue 11).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
export const scenarios = [];
