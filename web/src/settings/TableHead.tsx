// A list's column headers; an empty header names itself for screen readers
// (`blank`, e.g. "Actions").
export function TableHead({ headers, blank = 'Actions' }: { headers: string[]; blank?: string }) {
  return (
    <thead>
      <tr className="border-b border-border text-xs text-muted">
        {headers.map((h, i) => (
          <th key={i} scope="col" className={`py-2 pr-3 font-medium ${i === 0 ? 'pl-3' : ''}`}>
            {h || <span className="sr-only">{blank}</span>}
          </th>
        ))}
      </tr>
    </thead>
  );
}
