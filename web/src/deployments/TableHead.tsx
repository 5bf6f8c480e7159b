// A table's header row from its column names (the last may be hidden for
// an actions column: named for screen readers only).
export interface Column {
  name: string;
  className?: string;
  hidden?: boolean;
}

export function TableHead({ columns, className = 'text-xs text-muted' }: { columns: Column[]; className?: string }) {
  return (
    <thead className={className}>
      <tr>
        {columns.map((c) => (
          <th key={c.name} scope="col" className={`py-1 pr-3 font-medium ${c.className ?? ''}`}>
            {c.hidden ? <span className="sr-only">{c.name}</span> : c.name}
          </th>
        ))}
      </tr>
    </thead>
  );
}
