// Live validation: a short while after the pipeline stops changing, its
// flow template goes to POST /api/v1/pipelines/validate; the answer's
// errors are placed on nodes (problems.ts). Moving nodes does not
// re-validate (positions are not part of the pipeline). A newer change
// cancels the request of an older one; the last answer stays on screen
// while the next is on its way.
import { useEffect, useMemo, useRef, useState } from 'react';
import { validateFlow } from './api';
import { flowArrays } from './flowTemplate';
import type { BuilderModel } from './model';
import { placeProblems, type Problem } from './problems';

export type ValidationStatus = 'empty' | 'checking' | 'valid' | 'invalid' | 'failed';

export interface LiveValidation {
  status: ValidationStatus;
  problems: Problem[];
  error: unknown;
}

export const VALIDATION_DELAY_MS = 400;

export function useLiveValidation(model: BuilderModel, delayMs = VALIDATION_DELAY_MS): LiveValidation {
  const [result, setResult] = useState<LiveValidation>({ status: 'empty', problems: [], error: null });
  const latest = useRef(model);
  latest.current = model;
  // What the server sees, without positions.
  const key = useMemo(() => {
    const { nodes, edges } = flowArrays({ ...model, nodes: model.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) });
    return JSON.stringify([nodes, edges]);
  }, [model]);

  useEffect(() => {
    const sent = latest.current;
    if (sent.nodes.length === 0) {
      setResult({ status: 'empty', problems: [], error: null });
      return;
    }
    setResult((r) => ({ ...r, status: 'checking' }));
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const { nodes, edges } = flowArrays(sent);
      validateFlow(nodes, edges, abort.signal).then(
        (answer) => {
          if (abort.signal.aborted) return;
          const problems = placeProblems(answer.errors, sent);
          setResult({ status: answer.valid ? 'valid' : 'invalid', problems, error: null });
        },
        (error: unknown) => {
          if (!abort.signal.aborted) setResult({ status: 'failed', problems: [], error });
        },
      );
    }, delayMs);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key, delayMs]);

  return result;
}
