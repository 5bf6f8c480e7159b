// Scenario and step bookkeeping: every step is reported with its outcome and
// time; a failed step skips the rest of its scenario (they depend on it), a
// failed check (accessibility, console errors) does not.
export function createReport(log) {
  const results = [];
  const record = (entry) => {
    results.push(entry);
    const time = entry.ms === undefined ? '' : ` (${entry.ms} ms)`;
    log(`  ${entry.status.padEnd(7)} ${entry.scenario} › ${entry.step}${time}`);
    if (entry.error) log(`          ${entry.error.replace(/\n/g, '\n          ')}`);
  };
  return {
    results,
    failures: () => results.filter((r) => r.status === 'failed'),
    scenario(name) {
      let broken = false;
      const run = async (step, fn, aborts) => {
        if (broken) {
          record({ scenario: name, step, status: 'skipped' });
          return undefined;
        }
        const start = Date.now();
        try {
          const value = await fn();
          record({ scenario: name, step, status: 'ok', ms: Date.now() - start });
          return value;
        } catch (e) {
          if (aborts) broken = true;
          const error = (e instanceof Error ? e.message : String(e)).replace(/\u001b\[[0-9;]*m/g, '');
          record({ scenario: name, step, status: 'failed', ms: Date.now() - start, error });
          return undefined;
        }
      };
      log(`scenario: ${name}`);
      return {
        step: (title, fn) => run(title, fn, true),
        check: (title, fn) => run(title, fn, false),
        get broken() {
          return broken;
        },
      };
    },
  };
}
