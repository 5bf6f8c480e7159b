// Export the rows the filters select (every page, not only those on screen)
// as CSV or as JSON lines; says how many rows went out, and when the cap cut
// the export short.
import { useState } from 'react';
import { Button } from '../ui/Button';
import { errorText } from '../ui/ErrorState';
import { downloadText } from './download';
import { collectAll, EXPORT_CAP, exportFileName, toCsv, toJsonLines } from './exportRows';
import type { AuditFilters } from './filters';
import { fetchAuditPage } from './queries';

type Format = 'csv' | 'json';

export function ExportButtons({ filters, isAdmin }: { filters: AuditFilters; isAdmin: boolean }) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [message, setMessage] = useState<{ text: string; bad?: boolean } | null>(null);

  const run = async (format: Format) => {
    setBusy(format);
    setMessage(null);
    try {
      const { rows, truncated } = await collectAll((cursor) => fetchAuditPage(filters, isAdmin, cursor, 500));
      if (format === 'csv') downloadText(exportFileName('csv'), toCsv(rows), 'text/csv;charset=utf-8');
      else downloadText(exportFileName('json'), toJsonLines(rows), 'application/x-ndjson');
      setMessage({
        text: truncated
          ? `Exported the newest ${EXPORT_CAP.toLocaleString()} rows; narrow the filters or use opzenix audit export for more.`
          : `Exported ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}.`,
      });
    } catch (e) {
      setMessage({ text: `Export failed: ${errorText(e)}`, bad: true });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="flex items-center gap-2">
      <Button size="sm" data-testid="audit-export" data-format="csv" onClick={() => void run('csv')} disabled={busy !== null} reason={busy ? 'Exporting…' : undefined}>
        {busy === 'csv' ? 'Exporting…' : 'Export CSV'}
      </Button>
      <Button size="sm" data-testid="audit-export-json" data-format="json" onClick={() => void run('json')} disabled={busy !== null} reason={busy ? 'Exporting…' : undefined}>
        {busy === 'json' ? 'Exporting…' : 'Export JSON'}
      </Button>
      {message && (
        <span role="status" className={`text-xs ${message.bad ? 'text-bad' : 'text-muted'}`}>
          {message.text}
        </span>
      )}
    </div>
  );
}
