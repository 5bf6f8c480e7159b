// A deployment's hook attempts, read back from its deploy node's log: the
// hook runner logs each attempt ("hook migrate: attempt 2 of 6", then
// "… succeeded", "… failed (exit code 1); next attempt in 4s", "… failed
// (…); no attempts left" or "…; the next attempt would start after the
// deadline of 5m 00s") — deploy/hook_runner.cc. The API records attempts
// nowhere else. Pure.
export interface HookAttempt {
  hook: string;
  attempt: number;
  of: number;
  outcome: 'running' | 'succeeded' | 'failed';
  failure: string | null; // "exit code 1"
  nextIn: string | null; // the backoff before the next attempt, "4s"
  finalWords: string | null; // why retries stopped
  at: string | null; // when the attempt started (the log line's time)
}

export interface LogLineLike {
  message: string;
  created_at?: string;
}

const LINE = /^hook (\S+): attempt (\d+) of (\d+)(?: (succeeded|failed \((.*)\)(?:; (.*))?))?$/;

export function hookAttempts(lines: LogLineLike[]): HookAttempt[] {
  const out: HookAttempt[] = [];
  const open = new Map<string, HookAttempt>();
  for (const line of lines) {
    const m = LINE.exec(line.message.trim());
    if (!m) continue;
    const [, hook, attempt, of, ended, failure, after] = m;
    const key = `${hook}#${attempt}`;
    let a = open.get(key);
    if (!a) {
      a = { hook: hook!, attempt: Number(attempt), of: Number(of), outcome: 'running', failure: null, nextIn: null, finalWords: null, at: line.created_at ?? null };
      open.set(key, a);
      out.push(a);
    }
    if (!ended) continue;
    if (ended === 'succeeded') {
      a.outcome = 'succeeded';
      continue;
    }
    a.outcome = 'failed';
    a.failure = failure ?? null;
    const next = after ? /^next attempt in (.+)$/.exec(after) : null;
    if (next) a.nextIn = next[1]!;
    else if (after) a.finalWords = after;
  }
  return out;
}
