// The YAML tab: the pipeline as opzenix.yml. Typing re-reads the canvas
// from the text whenever it parses; while it does not, the problems are
// listed with their line and column and the canvas keeps its last good
// state. Line numbers beside the text, scrolled with it.
import { useId, useRef } from 'react';
import type { YamlProblem } from './yamlFormat';

export function YamlEditor({ text, problems, onChange }: { text: string; problems: YamlProblem[]; onChange: (text: string) => void }) {
  const id = useId();
  const gutter = useRef<HTMLPreElement>(null);
  const lines = text.split('\n').length;
  const bad = new Set(problems.map((p) => p.line));
  return (
    <div className="flex h-full flex-col gap-2">
      <label htmlFor={id} className="text-xs text-muted">
        opzenix.yml — edit here or on the canvas; the other follows. Comments are not kept.
      </label>
      <div className="flex min-h-0 flex-1 overflow-hidden rounded border border-border bg-surface font-mono text-xs leading-5">
        <pre ref={gutter} aria-hidden="true" className="overflow-hidden border-r border-border bg-surface-2 px-2 py-2 text-right text-muted select-none">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={bad.has(i + 1) ? 'font-semibold text-bad' : ''}>
              {i + 1}
            </div>
          ))}
        </pre>
        <textarea
          id={id}
          data-testid="builder-yaml-editor"
          value={text}
          spellCheck={false}
          wrap="off"
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby={problems.length ? `${id}-problems` : undefined}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          className="min-h-0 flex-1 resize-none bg-surface px-2 py-2 leading-5 text-fg outline-none"
        />
      </div>
      {problems.length > 0 && (
        <ul id={`${id}-problems`} data-testid="builder-yaml-problems" role="alert" className="flex flex-col gap-0.5 rounded border border-bad/40 bg-bad/5 p-2 text-xs text-bad">
          {problems.map((p, i) => (
            <li key={i}>
              {p.line !== null ? `Line ${p.line}${p.column !== null ? `, column ${p.column}` : ''}: ` : ''}
              {p.message}
            </li>
          ))}
          <li className="text-muted">The canvas keeps its last good state until the YAML reads again.</li>
        </ul>
      )}
    </div>
  );
}
