// The environment's protection rules, one line each (ruleWords.ts).
import { ruleLines } from './ruleWords';
import type { Environment } from './types';

export function ProtectionRules({ env, userName }: { env: Environment; userName: (id: string) => string }) {
  return (
    <ul aria-label={`${env.name} protection rules`} data-testid="protection-rules" className="flex flex-col gap-0.5 text-sm">
      {ruleLines(env, userName).map((l) => (
        <li key={l.key} data-rule={l.key} className="flex gap-1.5">
          <span aria-hidden="true" className="text-muted">
            •
          </span>
          {l.text}
        </li>
      ))}
    </ul>
  );
}
