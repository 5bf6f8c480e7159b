// Where the current version of an environment would be promoted to, and
// the project's lifecycle rule about it in words: the next phase of the
// lifecycle when the environment is in it, else the next environment in the
// project's order. The lifecycle rule (docs/deployments.md) lets a commit
// enter phase n only after it succeeded in phase n−1, at least the phase's
// soak time ago. Pure; the server decides (its 409 is shown verbatim).
import type { Environment, Lifecycle } from './types';
import { spanWords } from './words';

export interface PromotionPlan {
  target: string | null; // the environment to promote to
  rule: string | null; // the lifecycle rule that applies, in words
  blocked: string | null; // why the lifecycle holds it now (a soak), when known ahead
}

export function promotionPlan(
  envs: Environment[],
  lifecycle: Lifecycle | null | undefined,
  envName: string,
  current: { completed_at: string | null } | null,
  now: number,
): PromotionPlan {
  const phases = lifecycle?.phases ?? [];
  const at = phases.findIndex((p) => p.environment === envName);
  if (phases.length > 0 && at >= 0) {
    const next = phases[at + 1];
    if (!next) return { target: null, rule: `${envName} is the last phase of the project's lifecycle`, blocked: null };
    const soak = next.soak_seconds > 0 ? `, at least ${spanWords(next.soak_seconds)} after it succeeded there` : '';
    const rule = `Lifecycle: a version enters ${next.environment} only after it succeeded in ${envName}${soak}`;
    let blocked: string | null = null;
    if (current && next.soak_seconds > 0 && current.completed_at) {
      const ready = Date.parse(current.completed_at) + next.soak_seconds * 1000;
      if (Number.isFinite(ready) && ready > now) blocked = `Still soaking in ${envName}: ${spanWords(Math.ceil((ready - now) / 1000))} left`;
    }
    return { target: next.environment, rule, blocked };
  }
  const ordered = [...envs].sort((a, b) => a.position - b.position);
  const i = ordered.findIndex((e) => e.name === envName);
  const next = i >= 0 ? ordered[i + 1] : undefined;
  const rule = phases.length > 0 ? `${envName} is outside the project's lifecycle` : null;
  return { target: next?.name ?? null, rule, blocked: null };
}
