// The rules in evaluation order (the first that matches wins), read-only.
import { StatusBadge } from '../ui/StatusBadge';
import type { MappingRule } from './branchMappings';

export const RULE_HEADERS = ['#', 'Pattern', 'Kind', 'Environment', 'Deploys', 'Image tag', 'Replicas'];

export function RuleHead({ extra = false }: { extra?: boolean }) {
  return (
    <thead>
      <tr className="border-b border-border text-xs text-muted">
        {RULE_HEADERS.map((h, i) => (
          <th key={h} scope="col" className={`py-2 pr-3 font-medium ${i === 0 ? 'pl-3' : ''}`}>
            {h}
          </th>
        ))}
        {extra && (
          <th scope="col" className="py-2 pr-3 font-medium">
            <span className="sr-only">Order and removal</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

export function MappingRulesTable({ rules }: { rules: MappingRule[] }) {
  return (
    <table data-testid="mapping-rules" className="w-full border-collapse text-left">
      <caption className="sr-only">Branch mapping rules in evaluation order</caption>
      <RuleHead />
      <tbody>
        {rules.map((r, i) => (
          <tr key={i} data-testid="mapping-rule" className="border-b border-border text-sm">
            <td className="py-1.5 pr-3 pl-3 text-muted tabular-nums">{i + 1}</td>
            <td className="py-1.5 pr-3 font-mono">{r.pattern}</td>
            <td className="py-1.5 pr-3">{r.ref_type === 'tag' ? 'Tag' : 'Branch'}</td>
            <td className="py-1.5 pr-3">{r.environment}</td>
            <td className="py-1.5 pr-3">
              <StatusBadge status={r.deployable ? 'success' : 'skipped'} label={r.deployable ? 'Deploys' : 'CI only'} />
            </td>
            <td className="py-1.5 pr-3 font-mono text-xs">{r.image_tag_template}</td>
            <td className="py-1.5 pr-3 tabular-nums">{r.replicas}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
