// The agent's command line (issue 14, docs/agents.md), shared by `opzenix
// agent` and the slim `opzenix-agent` executable so both take exactly the
// same arguments:
//   agent register --server URL --registration-token R --name N
//       --labels a,b [--concurrency N]      prints the agent's token (once)
//   agent --server URL[,URL…] --token T --labels a,b [--concurrency N]
//       [--work-dir DIR] [--mirror-unused-days D]
//                                           polls for work until SIGTERM/SIGINT
// --server may also be repeated; --server / --token also come from
// OPZENIX_SERVER / OPZENIX_AGENT_TOKEN. Both forms take --ca-file (or
// OPZENIX_CA_FILE): the CA bundle for an https:// server (default: the
// system store). The labels given to the run form are
// informational (they were fixed at registration); it logs them.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace opz::agent_cli {

struct AgentArgs {
  std::vector<std::string> servers;  // as given: each may hold several comma-separated URLs
  std::string token;
  std::string ca_file;  // https: verify the server with these CAs; empty = the system store
  std::string labels;
  int concurrency = 1;
  std::string work_dir = "opzenix-agent";
  // Git mirrors in the work dir not used for this many days are removed when
  // the agent starts (git/mirror_sweep.h); 0 keeps them all.
  int mirror_unused_days = 14;
  std::string registration_token;
  std::string name;
};

using RunAgent = std::function<int(const AgentArgs&)>;

// Adds the options and the `register` subcommand to `cmd`. When `cmd` itself
// runs (no subcommand), `exit_code` becomes `run(args)`; `register` sets it too.
void define_agent_command(CLI::App& cmd, int& exit_code, RunAgent run);

// Polls the servers and runs jobs in this process until SIGTERM/SIGINT.
int run_agent(const AgentArgs& args);

// The arguments of `opzenix-agent` for the same run form. The token is left
// out (the caller passes it in OPZENIX_AGENT_TOKEN, not on a command line
// that any local user can read in /proc).
std::vector<std::string> run_arguments(const AgentArgs& args);

}  // namespace opz::agent_cli
