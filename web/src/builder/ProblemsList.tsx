// The pipeline's problems from the live validation, each a button that
// selects its node; settings a flow template cannot keep are listed as
// notes. data-valid: the server found the pipeline valid and the YAML
// text (if edited) reads.
import { errorText } from '../ui/ErrorState';
import type { Problem } from './problems';
import type { LiveValidation } from './useLiveValidation';

const DROPPED_WHY = 'is an opzenix.yml setting: a saved flow template does not keep it';

export interface ProblemsListProps {
  validation: LiveValidation;
  yamlProblems: number; // the YAML text does not read: the checks are of the last good version
  dropped: string[];
  onSelect: (nodeId: string) => void;
}

export function ProblemsList({ validation, yamlProblems, dropped, onSelect }: ProblemsListProps) {
  const { status, problems } = validation;
  const headline =
    status === 'empty'
      ? 'Add a node to check the pipeline.'
      : status === 'valid'
        ? '✓ No problems: the server accepts this pipeline.'
        : status === 'failed'
          ? `Could not check the pipeline: ${errorText(validation.error)}`
          : status === 'checking' && problems.length === 0
            ? 'Checking…'
            : `${problems.length} problem${problems.length === 1 ? '' : 's'}${status === 'checking' ? ' (checking again…)' : ''}`;
  return (
    <section
      data-testid="builder-problems"
      data-valid={status === 'valid' && yamlProblems === 0}
      data-status={status}
      aria-labelledby="builder-problems-title"
      className="flex max-h-44 flex-col gap-1 overflow-auto rounded border border-border bg-surface p-2 text-sm"
    >
      <h2 id="builder-problems-title" className="sr-only">
        Problems
      </h2>
      <p role="status" className={status === 'valid' ? 'text-ok' : status === 'invalid' || status === 'failed' ? 'text-bad' : 'text-muted'}>
        {headline}
      </p>
      {yamlProblems > 0 && (
        <p className="text-xs text-bad">
          The YAML has {yamlProblems === 1 ? 'a problem' : `${yamlProblems} problems`} (listed under it): this check is of the last version that read.
        </p>
      )}
      {problems.length > 0 && (
        <ul className="flex flex-col gap-0.5">
          {problems.map((p: Problem, i) => (
            <li key={i} className="text-xs">
              {p.nodeId ? (
                <button type="button" className="text-left text-bad underline-offset-2 hover:underline" onClick={() => onSelect(p.nodeId!)}>
                  <span className="font-mono font-semibold">{p.nodeId}</span>: {p.message}
                </button>
              ) : (
                <span className="text-bad">{p.message}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {dropped.map((key) => (
        <p key={key} className="text-xs text-muted">
          Note: <code className="font-mono">{key}</code> {DROPPED_WHY}.
        </p>
      ))}
    </section>
  );
}
