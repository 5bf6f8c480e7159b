// An agent's labels as chips (monospace: they are the words runs_on matches).
export function LabelChips({ labels }: { labels: string[] }) {
  if (labels.length === 0) return <span className="text-xs text-muted">No labels</span>;
  return (
    <ul aria-label="Labels" className="flex flex-wrap gap-1">
      {labels.map((l) => (
        <li key={l} data-testid="agent-label" className="rounded-full border border-border bg-surface-2 px-2 py-0.5 font-mono text-xs">
          {l}
        </li>
      ))}
    </ul>
  );
}
