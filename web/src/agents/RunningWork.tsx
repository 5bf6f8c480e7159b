// What an agent runs now: a link per job to its node on the execution page
// when the server lists the jobs (`running`), else the count it answers.
import { Link } from 'react-router';
import type { Agent } from './types';

export function RunningWork({ agent }: { agent: Agent }) {
  if (agent.running && agent.running.length > 0)
    return (
      <ul className="flex flex-col gap-0.5">
        {agent.running.map((j) => (
          <li key={j.id}>
            <Link
              to={`/executions/${encodeURIComponent(j.execution_id)}?node=${encodeURIComponent(j.node_id)}`}
              className="font-mono text-xs text-accent underline-offset-2 hover:underline"
              data-testid="agent-job-link"
            >
              {j.node_id}
              {j.attempt && j.attempt > 1 ? ` (attempt ${j.attempt})` : ''}
            </Link>
          </li>
        ))}
      </ul>
    );
  if (agent.running_jobs > 0)
    return (
      <span className="text-sm tabular-nums">
        {agent.running_jobs} {agent.running_jobs === 1 ? 'job' : 'jobs'}
      </span>
    );
  return <span className="text-sm text-muted">Idle</span>;
}
