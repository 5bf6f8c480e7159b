import { describe, expect, it } from 'vitest';
import type { Page } from '../api/types';
import { collectAll, csvCell, EXPORT_COLUMNS, exportFileName, toCsv, toJsonLines } from './exportRows';
import type { AuditEntry } from './types';

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `id-${seq}`,
    seq,
    action: 'user.created',
    resource_type: 'profile',
    resource_id: `r${seq}`,
    user_id: 'u1',
    details: { email: 'a@b.c', role: 'viewer' },
    ip_address: '127.0.0.1',
    user_agent: 'curl/8.0',
    created_at: '2026-12-05T10:00:00.000Z',
    prev_hash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...over,
  };
}

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('writes null as empty, numbers as numbers and objects as JSON', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell({ a: 1, b: 'x,y' })).toBe('"{""a"":1,""b"":""x,y""}"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell(-2)).toBe('-2'); // a number is data, not a formula
  });
});

describe('CSV and JSON exports', () => {
  it('writes the header, then one line per row in the given order', () => {
    const csv = toCsv([entry(2, { user_agent: 'Mozilla/5.0 (X11, Linux)' }), entry(1)]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines[1]).toContain('2,2026-12-05T10:00:00.000Z,user.created,u1,profile,r2,127.0.0.1,"Mozilla/5.0 (X11, Linux)"');
    expect(lines[2]!.startsWith('1,')).toBe(true);
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });

  it('writes JSON lines oldest first with the export keys', () => {
    const text = toJsonLines([entry(3), entry(1)]);
    const rows = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.seq)).toEqual([1, 3]);
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(rows[0]!.details).toEqual({ email: 'a@b.c', role: 'viewer' });
    expect(toJsonLines([])).toBe('');
  });

  it('names the file by format and time', () => {
    const at = new Date('2026-12-05T14:30:07.123Z');
    expect(exportFileName('csv', at)).toBe('audit-2026-12-05T14-30-07.csv');
    expect(exportFileName('json', at)).toBe('audit-2026-12-05T14-30-07.jsonl');
  });
});

describe('collectAll', () => {
  const pages: Record<string, Page<AuditEntry>> = {
    start: { items: [entry(5), entry(4)], next_cursor: 'c2' },
    c2: { items: [entry(3), entry(2)], next_cursor: 'c3' },
    c3: { items: [entry(1)], next_cursor: null },
  };
  const fetchPage = async (cursor?: string) => pages[cursor ?? 'start']!;

  it('follows next_cursor to the end', async () => {
    const seen: (string | undefined)[] = [];
    const got = await collectAll(async (c) => {
      seen.push(c);
      return fetchPage(c);
    });
    expect(got.rows.map((r) => r.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(got.truncated).toBe(false);
    expect(seen).toEqual([undefined, 'c2', 'c3']);
  });

  it('stops at the cap and says the export is cut short', async () => {
    const got = await collectAll(fetchPage, 3);
    expect(got.rows.map((r) => r.seq)).toEqual([5, 4, 3]);
    expect(got.truncated).toBe(true);
  });
});
