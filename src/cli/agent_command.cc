// `opzenix agent`: a remote agent (issue 14, docs/agents.md); its command line
// is agent_cli's, shared with the slim `opzenix-agent` executable. The run
// form execs `opzenix-agent` from this binary's own directory when it is
// there (same arguments; the token in OPZENIX_AGENT_TOKEN), so an agent does
// not carry the server's libraries (docs/performance.md, idle memory); it
// runs in this process when that binary is missing, or when
// OPZENIX_AGENT_IN_PROCESS=1 (the benchmark's "before").
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "agent_cli/agent_cli.h"
#include "cli/commands.h"

namespace opz::cli {

namespace {

// Answers only when the slim agent could not be exec'd.
void exec_slim_agent(const agent_cli::AgentArgs& args) {
  const char* in_process = std::getenv("OPZENIX_AGENT_IN_PROCESS");
  if (in_process && std::string(in_process) == "1") return;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return;
  const std::string slim = (self.parent_path() / "opzenix-agent").string();
  if (access(slim.c_str(), X_OK) != 0) return;
  std::vector<std::string> argv = {slim};
  for (std::string& a : agent_cli::run_arguments(args)) argv.push_back(std::move(a));
  std::vector<char*> c_argv;
  for (std::string& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  setenv("OPZENIX_AGENT_TOKEN", args.token.c_str(), 1);
  execv(slim.c_str(), c_argv.data());
  std::cerr << "warning: cannot run " << slim << " (" << std::strerror(errno)
            << "); running the agent in this process\n";
}

}  // namespace

void add_agent_commands(CLI::App& app, CommandState& state) {
  auto* cmd = app.add_subcommand("agent", "Run a remote agent that polls a server for work");
  agent_cli::define_agent_command(*cmd, state.exit_code, [](const agent_cli::AgentArgs& args) {
    if (!args.token.empty()) exec_slim_agent(args);
    return agent_cli::run_agent(args);
  });
}

}  // namespace opz::cli
