// How to add an agent, in place: create a registration token (admins; shown
// once, copyable), register the machine with it (prints the agent's own
// token, once), then run the agent. Other users see the commands and who can
// create the token.
import { useMutation } from '@tanstack/react-query';
import { CopyButton } from '../settings/CopyButton';
import { FormError } from '../settings/FormError';
import { OnceSecret } from '../settings/OnceSecret';
import { Button } from '../ui/Button';
import { formatAbsolute } from '../ui/format';
import { createRegistrationToken } from './api';
import { setupCommands } from './setupCommands';

function Command({ step, text, testId }: { step: string; text: string; testId: string }) {
  return (
    <li className="flex flex-col gap-1">
      <span className="text-sm">{step}</span>
      <div className="flex items-start gap-2">
        <pre data-testid={testId} className="min-w-0 flex-1 overflow-x-auto rounded border border-border bg-surface-2 px-2 py-1.5 font-mono text-xs">
          {text}
        </pre>
        <CopyButton value={text.replace(/\\\n\s+/g, '')} testId={`${testId}-copy`} />
      </div>
    </li>
  );
}

export function AddAgentPanel({ isAdmin, serverUrl }: { isAdmin: boolean; serverUrl: string }) {
  const create = useMutation({ mutationFn: createRegistrationToken });
  const token = create.data;
  const commands = setupCommands(serverUrl, token?.token);
  return (
    <div data-testid="add-agent" className="flex flex-col gap-3 text-fg">
      <ol className="flex list-decimal flex-col gap-3 pl-5">
        <li className="flex flex-col items-start gap-2">
          <span className="text-sm">Create a registration token (valid 24 h, usable by several agents).</span>
          <Button
            variant="primary"
            size="sm"
            data-testid="registration-token-create"
            disabled={!isAdmin || create.isPending}
            reason={!isAdmin ? 'Only admins can create registration tokens' : create.isPending ? 'Creating…' : undefined}
            onClick={() => create.mutate()}
          >
            {create.isPending ? 'Creating…' : token ? 'Create another token' : 'Create registration token'}
          </Button>
          <FormError error={create.error} />
          {token && (
            <div className="w-full">
              <OnceSecret
                title={`Registration token, valid until ${formatAbsolute(token.expires_at)}`}
                value={token.token}
                testId="registration-token-value"
                warning="Copy it now: this is the only time it is shown. Opzenix keeps only a hash."
                onDone={() => create.reset()}
              />
            </div>
          )}
        </li>
        <Command step="On the agent machine, register it once: it prints the agent’s own token (opza_…), once." text={commands.register} testId="agent-register-command" />
        <Command step="Run the agent with that token (OPZENIX_SERVER and OPZENIX_AGENT_TOKEN also work). It polls this server; it needs no inbound port." text={commands.run} testId="agent-run-command" />
      </ol>
      <p className="text-xs text-muted">
        Nodes with <code className="font-mono">runs_on: [linux, docker]</code> then run on an agent that has all those labels. A job carries its step’s secrets: run agents only on machines you trust with them.
      </p>
    </div>
  );
}
