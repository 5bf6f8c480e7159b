// Browser scenarios: the approvals inbox and the notification bell (issue 11).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
export const scenarios = [];
