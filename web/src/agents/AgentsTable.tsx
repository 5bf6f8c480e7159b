// The agent list: name (version, host), labels, status with its reason, last
// seen, running work, capacity, and Disable.
import { TableHead } from '../settings/TableHead';
import { RelativeTime } from '../ui/RelativeTime';
import { AgentStatusCell } from './AgentStatusCell';
import { DisableAgentButton } from './DisableAgentButton';
import { LabelChips } from './LabelChips';
import { RunningWork } from './RunningWork';
import { agentStatusWords, capacityText, type LeaseTimeout } from './status';
import type { Agent } from './types';

const HEADERS = ['Agent', 'Labels', 'Status', 'Last seen', 'Running', 'Capacity', ''];

export function AgentsTable({ agents, now, lease, isAdmin }: { agents: Agent[]; now: number; lease: LeaseTimeout; isAdmin: boolean }) {
  return (
    <table className="w-full text-left" aria-label="Agents">
      <TableHead headers={HEADERS} />
      <tbody>
        {agents.map((a) => {
          const words = agentStatusWords(a, now, lease);
          return (
            <tr
              key={a.id}
              data-testid="agent-row"
              data-agent-name={a.name}
              data-status={a.status}
              aria-label={`${a.name}, ${words.word.toLowerCase()}`}
              className="border-b border-border align-top"
            >
              <td className="py-2 pr-3 pl-3">
                <div className="text-sm font-medium">{a.name}</div>
                <div className="font-mono text-xs text-muted">
                  {[a.version ? `v${a.version.replace(/^v/, '')}` : '', a.hostname ?? ''].filter(Boolean).join(' · ') || 'version unknown'}
                </div>
              </td>
              <td className="max-w-56 py-2 pr-3">
                <LabelChips labels={a.labels} />
              </td>
              <td className="max-w-72 py-2 pr-3">
                <AgentStatusCell words={words} status={a.status} />
              </td>
              <td className="py-2 pr-3 text-sm whitespace-nowrap">
                {a.last_seen_at ? <RelativeTime iso={a.last_seen_at} /> : <span className="text-muted">Never</span>}
              </td>
              <td className="py-2 pr-3">
                <RunningWork agent={a} />
              </td>
              <td className="py-2 pr-3 text-sm tabular-nums whitespace-nowrap" data-testid="agent-capacity">
                {capacityText(a)}
              </td>
              <td className="py-2 pr-3 text-right">
                <DisableAgentButton agent={a} isAdmin={isAdmin} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
