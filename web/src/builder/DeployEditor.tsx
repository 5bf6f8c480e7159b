// A deploy node's spec: strategy (rolling, blue-green, canary) with that
// strategy's commands, version, automatic rollback, health check and hooks.
import type { JsonMap } from './model';
import { CanaryStepsEditor } from './CanaryStepsEditor';
import { canaryRowsOf, healthOf, hookRunOf, HOOKS, STRATEGIES, strategyOf, withCanaryRows, withHealth, withHookRun, withStrategy, type Strategy } from './deployFields';
import { PanelSection, SelectField, TextField } from './fields';
import { HealthCheckEditor } from './HealthCheckEditor';
import { textOf, tristateOf, withText, withTristate, type Tristate } from './nodeFields';

const STRATEGY_WORDS: Record<Strategy, string> = { rolling: 'Rolling', blue_green: 'Blue-green', canary: 'Canary' };
const AUTO_ROLLBACK = [
  ['default', 'Default (on for Production)'],
  ['on', 'On'],
  ['off', 'Off'],
] as const satisfies readonly (readonly [Tristate, string])[];
const HOOK_HINTS = { migrate: 'before the deploy', seed: 'after the deploy', rollback: 'when this version is rolled back to' };

export function DeployEditor({ data, onChange }: { data: JsonMap; onChange: (d: JsonMap) => void }) {
  const strategy = strategyOf(data);
  const text = (key: string, label: string, placeholder?: string, hint?: string) => (
    <TextField label={label} mono value={textOf(data, key)} placeholder={placeholder} hint={hint} onChange={(v) => onChange(withText(data, key, v))} />
  );
  return (
    <PanelSection title="Deploy">
      <SelectField
        label="Strategy"
        testId="builder-field-strategy"
        value={strategy}
        options={STRATEGIES.map((s) => [s, STRATEGY_WORDS[s]] as const)}
        onChange={(s) => onChange(withStrategy(data, s))}
      />
      {strategy === 'blue_green' && (
        <>
          {text('switch', 'Switch command (required)', './switch.sh', 'Points traffic at $OPZENIX_SLOT')}
          {text('cleanup', 'Cleanup command', './cleanup.sh', 'Stops the previous slot')}
          {text('cleanup_delay', 'Cleanup delay', '0s')}
        </>
      )}
      {strategy === 'canary' && (
        <>
          {text('traffic', 'Traffic command (required)', './weights.sh', 'Applies $OPZENIX_CANARY_WEIGHT')}
          <CanaryStepsEditor rows={canaryRowsOf(data)} onChange={(rows) => onChange(withCanaryRows(data, rows))} />
        </>
      )}
      {text('version', 'Version', 'the image tag', 'Template: {sha}, {sha7}, {tag}, {branch}')}
      <SelectField label="Automatic rollback" value={tristateOf(data, 'auto_rollback')} options={AUTO_ROLLBACK} onChange={(v) => onChange(withTristate(data, 'auto_rollback', v))} />
      <HealthCheckEditor form={healthOf(data)} onChange={(f) => onChange(withHealth(data, f))} />
      {HOOKS.map((h) => (
        <TextField key={h} label={`${h[0]!.toUpperCase()}${h.slice(1)} hook`} hint={`Runs ${HOOK_HINTS[h]}`} mono value={hookRunOf(data, h)} onChange={(v) => onChange(withHookRun(data, h, v))} />
      ))}
    </PanelSection>
  );
}
