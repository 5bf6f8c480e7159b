// `opzenix-agent`: the remote agent alone (issue 14, docs/agents.md), the
// same command line as `opzenix agent` (agent_cli.h), linked without the
// server's libraries so an idle agent stays small (docs/performance.md).
// `opzenix agent` execs this binary when it sits next to `opzenix`.
#include <malloc.h>

#include "agent_cli/agent_cli.h"

int main(int argc, char** argv) {
  // One malloc arena: the agent's three threads (poll loop, reporter, the
  // runner's epoll thread) allocate little, and each extra arena costs
  // private pages in every one of many agents on a machine.
  mallopt(M_ARENA_MAX, 1);
  CLI::App app{"Opzenix remote agent: polls its servers for work and runs it", "opzenix-agent"};
  int exit_code = 0;
  opz::agent_cli::define_agent_command(app, exit_code, opz::agent_cli::run_agent);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
