// Editing one advisory rule in a scope (global, or one project): threshold,
// window, severity and enabled, checked before sending (ruleForm.ts); only
// what changed is sent. When the scope overrides the rule, "Use inherited
// settings" clears the override. A refusal from the server is shown in the
// dialog, on its field when it names one.
import { useId, useState } from 'react';
import { ApiError } from '../api/client';
import { Field } from '../settings/Field';
import { FormError } from '../settings/FormError';
import { SelectField } from '../settings/SelectField';
import { Button } from '../ui/Button';
import { Modal } from '../ui/Modal';
import type { AdvisoryRule, RuleChange } from './api';
import { changeFrom, checkForm, formFor, inheritChange, overriddenHere, SEVERITIES, type RuleForm } from './ruleForm';
import { severityLook, windowText } from './words';

export interface RuleEditorProps {
  rule: AdvisoryRule;
  projectId: string; // "" = global
  scopeName: string; // "every project" or the project's name
  onSubmit: (change: RuleChange) => Promise<unknown>;
  onClose: () => void;
}

export function RuleEditor({ rule, projectId, scopeName, onSubmit, onClose }: RuleEditorProps) {
  const titleId = useId();
  const [form, setForm] = useState<RuleForm>(() => formFor(rule));
  const [shown, setShown] = useState(false); // errors shown after the first submit
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = checkForm(form, rule);
  const invalid = Object.keys(errors).length > 0;
  const change = invalid ? null : changeFrom(form, rule, projectId);
  const serverField = error instanceof ApiError ? error.field : undefined;
  const fieldError = (f: keyof typeof errors) => (shown ? errors[f] : undefined) ?? (serverField === f ? (error as ApiError).message : undefined);

  const send = async (c: RuleChange) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(c);
      setBusy(false);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const windowSeconds = Number(form.window_seconds);

  return (
    <Modal labelledBy={titleId} onClose={onClose} testId="rule-editor">
      <form
        noValidate
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setShown(true);
          if (!invalid && change && !busy) void send(change);
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {rule.title}
        </h2>
        <p className="text-sm text-muted">
          Applies to {scopeName}. {projectId ? 'A project’s setting wins over the global one.' : 'Projects with their own setting keep it.'}
        </p>
        <div className="grid grid-cols-2 gap-3">
          <Field
            label={`Threshold${rule.unit ? ` (${rule.unit})` : ''}`}
            inputMode="decimal"
            data-testid="rule-threshold"
            value={form.threshold}
            error={fieldError('threshold')}
            hint={`Alert when the value is ${rule.comparison === 'below' ? 'below' : 'above'} this`}
            onChange={(e) => setForm({ ...form, threshold: e.target.value })}
          />
          <Field
            label="Window (seconds)"
            inputMode="numeric"
            data-testid="rule-window"
            value={form.window_seconds}
            error={fieldError('window_seconds')}
            hint={Number.isInteger(windowSeconds) && windowSeconds > 0 ? windowText(windowSeconds) : '60 … 7776000'}
            onChange={(e) => setForm({ ...form, window_seconds: e.target.value })}
          />
          <SelectField
            label="Severity"
            data-testid="rule-severity"
            value={form.severity}
            error={fieldError('severity')}
            onChange={(e) => setForm({ ...form, severity: e.target.value })}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {severityLook(s).word}
              </option>
            ))}
          </SelectField>
          <label className="flex items-center gap-2 self-end pb-1 text-sm">
            <input type="checkbox" data-testid="rule-enabled" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />
            Enabled
          </label>
        </div>
        {serverField && ['threshold', 'window_seconds', 'severity'].includes(serverField) ? null : <FormError error={error} />}
        <div className="flex items-center justify-between gap-2">
          {overriddenHere(rule, projectId) ? (
            <Button variant="ghost" disabled={busy} reason="Working…" onClick={() => void send(inheritChange(projectId))}>
              Use inherited settings
            </Button>
          ) : (
            <span />
          )}
          <span className="flex gap-2">
            <Button onClick={onClose}>Cancel</Button>
            <Button
              type="submit"
              variant="primary"
              data-testid="rule-save"
              disabled={busy || (!invalid && !change)}
              reason={busy ? 'Working…' : 'Nothing changed yet'}
            >
              Save
            </Button>
          </span>
        </div>
      </form>
    </Modal>
  );
}
