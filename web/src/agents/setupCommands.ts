// The commands that add an agent (docs/agents.md), for this server's URL and
// a registration token when one was just created (else a placeholder). Pure.
export const TOKEN_PLACEHOLDER = 'opzr_…';

export interface SetupCommands {
  register: string;
  run: string;
}

export function setupCommands(serverUrl: string, registrationToken?: string): SetupCommands {
  const server = serverUrl.replace(/\/+$/, '');
  return {
    register:
      `opzenix agent register --server ${server} --registration-token ${registrationToken || TOKEN_PLACEHOLDER} \\\n` +
      `    --name build-1 --labels linux,docker --concurrency 2`,
    run:
      `opzenix agent --server ${server} --token opza_… --labels linux,docker \\\n` +
      `    --concurrency 2 --work-dir /var/lib/opzenix-agent`,
  };
}
