// `opzenix agent`: a remote agent (issue 14, docs/agents.md).
//   opzenix agent register --server URL --registration-token R --name N
//       --labels a,b [--concurrency N]      prints the agent's token (once)
//   opzenix agent --server URL --token T --labels a,b [--concurrency N]
//       [--work-dir DIR]                    polls for work until SIGTERM/SIGINT
// --server / --token also come from OPZENIX_SERVER / OPZENIX_AGENT_TOKEN.
// The labels given to `agent` itself are informational (they were fixed at
// registration); it logs them next to the server's URL.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <memory>
#include <iostream>
#include <sstream>

#include "agent/agent_transport.h"
#include "agent/agent_worker.h"
#include "app/version.h"
#include "cli/commands.h"
#include "runner/local_runner.h"

namespace opz::cli {

namespace {

std::atomic<bool> g_stop{false};

void request_stop(int) { g_stop = true; }

std::vector<std::string> split_labels(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string label;
  while (std::getline(in, label, ','))
    if (!label.empty()) out.push_back(label);
  return out;
}

struct AgentArgs {
  std::string server;
  std::string token;
  std::string labels;
  int concurrency = 1;
  std::string work_dir = "opzenix-agent";
  std::string registration_token;
  std::string name;
};

int register_agent(const AgentArgs& a) {
  agent::CurlTransport server(a.server, "");
  auto answer = server.post("/api/v1/agents/register",
                            {{"registration_token", a.registration_token},
                             {"name", a.name},
                             {"labels", split_labels(a.labels)},
                             {"concurrency", a.concurrency},
                             {"version", app::kVersion}},
                            std::chrono::seconds(30));
  if (!answer) {
    std::cerr << "error: " << answer.error().message << "\n";
    return 1;
  }
  if (answer->status != 201 || !answer->body.is_object()) {
    std::cerr << "error: the server answered " << answer->status << ": " << answer->body.dump()
              << "\n";
    return 1;
  }
  std::cout << answer->body.value("token", std::string()) << "\n";
  return 0;
}

int run_agent(const AgentArgs& a) {
  if (a.token.empty()) {
    std::cerr << "error: --token (or OPZENIX_AGENT_TOKEN) is required\n";
    return 2;
  }
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  agent::CurlTransport server(a.server, a.token);
  runner::LocalRunner runner;
  agent::AgentWorkerOptions options;
  options.concurrency = a.concurrency;
  std::error_code ec;
  options.work_dir = std::filesystem::absolute(a.work_dir, ec).string();
  std::cerr << "opzenix agent " << app::kVersion << ": " << a.server << ", labels [" << a.labels
            << "], concurrency " << a.concurrency << ", work dir " << options.work_dir
            << std::endl;
  agent::AgentWorker worker(server, runner, options);
  int rc = worker.run(g_stop);
  runner.shutdown();
  return rc;
}

}  // namespace

void add_agent_commands(CLI::App& app, CommandState& state) {
  auto args = std::make_shared<AgentArgs>();
  auto* cmd = app.add_subcommand("agent", "Run a remote agent that polls a server for work");
  cmd->add_option("--server", args->server, "the server's URL")->envname("OPZENIX_SERVER");
  cmd->add_option("--token", args->token, "this agent's token (from `opzenix agent register`)")
      ->envname("OPZENIX_AGENT_TOKEN");
  cmd->add_option("--labels", args->labels, "this agent's labels, comma-separated");
  cmd->add_option("--concurrency", args->concurrency, "jobs run at once")->check(CLI::Range(1, 256));
  cmd->add_option("--work-dir", args->work_dir, "where jobs run (default ./opzenix-agent)");
  auto* reg = cmd->add_subcommand("register", "Register this agent; prints its token");
  reg->add_option("--server", args->server, "the server's URL")->envname("OPZENIX_SERVER");
  reg->add_option("--registration-token", args->registration_token,
                  "a registration token (POST /api/v1/agents/registration-tokens)")
      ->required();
  reg->add_option("--name", args->name, "the agent's name")->required();
  reg->add_option("--labels", args->labels, "the agent's labels, comma-separated");
  reg->add_option("--concurrency", args->concurrency, "jobs run at once")->check(CLI::Range(1, 256));
  reg->callback([args, &state] { state.exit_code = register_agent(*args); });
  cmd->callback([cmd, args, &state] {
    if (!cmd->get_subcommands().empty()) return;
    if (args->server.empty()) {
      std::cerr << "error: --server (or OPZENIX_SERVER) is required\n";
      state.exit_code = 2;
      return;
    }
    state.exit_code = run_agent(*args);
  });
}

}  // namespace opz::cli
