// The 7 / 30 / 90-day window buttons of the dashboard's report sections
// (pipeline insights; DORA has the same look): one pressed button per window,
// named in words, in a labelled group.
export const REPORT_WINDOWS = ['7d', '30d', '90d'] as const;
export type ReportWindow = (typeof REPORT_WINDOWS)[number];
export const REPORT_WINDOW_WORD: Record<ReportWindow, string> = { '7d': '7 days', '30d': '30 days', '90d': '90 days' };

export function WindowToggle({ label, testIdPrefix, value, onChange }: { label: string; testIdPrefix: string; value: ReportWindow; onChange: (w: ReportWindow) => void }) {
  return (
    <div role="group" aria-label={label} className="flex gap-1 text-xs">
      {REPORT_WINDOWS.map((w) => (
        <button
          key={w}
          type="button"
          data-testid={`${testIdPrefix}-${w}`}
          aria-pressed={value === w}
          onClick={() => onChange(w)}
          className={`rounded border px-2 py-0.5 ${value === w ? 'border-accent bg-accent/10 text-accent' : 'border-border'}`}
        >
          {REPORT_WINDOW_WORD[w]}
        </button>
      ))}
    </div>
  );
}
