#include "agent_cli/agent_cli.h"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "agent/agent_transport.h"
#include "agent/agent_worker.h"
#include "agent/failover_transport.h"
#include "agent/server_rotation.h"
#include "app/version.h"
#include "runner/local_runner.h"

namespace opz::agent_cli {

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

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

int register_agent(const AgentArgs& a) {
  const std::vector<std::string> servers = agent::split_server_urls(a.servers);
  agent::HttpTransport server(servers.front(), "", {a.ca_file});
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

bool has_server(const AgentArgs& a, int& exit_code) {
  if (!agent::split_server_urls(a.servers).empty()) return true;
  std::cerr << "error: --server (or OPZENIX_SERVER) is required\n";
  exit_code = 2;
  return false;
}

}  // namespace

int run_agent(const AgentArgs& a) {
  if (a.token.empty()) {
    std::cerr << "error: --token (or OPZENIX_AGENT_TOKEN) is required\n";
    return 2;
  }
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  const std::vector<std::string> servers = agent::split_server_urls(a.servers);
  const std::string token = a.token;
  const agent::HttpTransportOptions transport_options{a.ca_file};
  agent::FailoverTransport server(servers, [&](const std::string& url) {
    return std::make_unique<agent::HttpTransport>(url, token, transport_options);
  });
  runner::LocalRunner runner;
  agent::AgentWorkerOptions options;
  options.concurrency = a.concurrency;
  std::error_code ec;
  options.work_dir = std::filesystem::absolute(a.work_dir, ec).string();
  options.mirror_unused_for = std::chrono::hours(24) * a.mirror_unused_days;
  std::cerr << "opzenix agent " << app::kVersion << ": " << joined(servers) << ", labels ["
            << a.labels << "], concurrency " << a.concurrency << ", work dir "
            << options.work_dir << std::endl;
  agent::AgentWorker worker(server, runner, options);
  int rc = worker.run(g_stop);
  runner.shutdown();
  return rc;
}

std::vector<std::string> run_arguments(const AgentArgs& a) {
  std::vector<std::string> out;
  for (const std::string& s : a.servers) out.insert(out.end(), {"--server", s});
  if (!a.ca_file.empty()) out.insert(out.end(), {"--ca-file", a.ca_file});
  out.insert(out.end(), {"--labels", a.labels, "--concurrency", std::to_string(a.concurrency),
                         "--work-dir", a.work_dir, "--mirror-unused-days",
                         std::to_string(a.mirror_unused_days)});
  return out;
}

void define_agent_command(CLI::App& cmd, int& exit_code, RunAgent run) {
  auto args = std::make_shared<AgentArgs>();
  const std::string server_help = "the server's URL (several: comma-separated, or repeated)";
  cmd.add_option("--server", args->servers, server_help)->envname("OPZENIX_SERVER");
  cmd.add_option("--token", args->token, "this agent's token (from `opzenix agent register`)")
      ->envname("OPZENIX_AGENT_TOKEN");
  cmd.add_option("--labels", args->labels, "this agent's labels, comma-separated");
  cmd.add_option("--concurrency", args->concurrency, "jobs run at once")->check(CLI::Range(1, 256));
  cmd.add_option("--work-dir", args->work_dir, "where jobs run (default ./opzenix-agent)");
  cmd.add_option("--mirror-unused-days", args->mirror_unused_days,
                 "remove the work dir's git mirrors unused for this many days when the agent "
                 "starts (default 14; 0 keeps them)")
      ->check(CLI::Range(0, 3650));
  const std::string ca_help =
      "https: the CA certificates (PEM) to verify the server with (default: the system store)";
  cmd.add_option("--ca-file", args->ca_file, ca_help)->envname("OPZENIX_CA_FILE");
  auto* reg = cmd.add_subcommand("register", "Register this agent; prints its token");
  reg->add_option("--server", args->servers, "the server's URL")->envname("OPZENIX_SERVER");
  reg->add_option("--ca-file", args->ca_file, ca_help)->envname("OPZENIX_CA_FILE");
  reg->add_option("--registration-token", args->registration_token,
                  "a registration token (POST /api/v1/agents/registration-tokens)")
      ->required();
  reg->add_option("--name", args->name, "the agent's name")->required();
  reg->add_option("--labels", args->labels, "the agent's labels, comma-separated");
  reg->add_option("--concurrency", args->concurrency, "jobs run at once")->check(CLI::Range(1, 256));
  reg->callback([args, &exit_code] {
    if (has_server(*args, exit_code)) exit_code = register_agent(*args);
  });
  cmd.callback([&cmd, args, &exit_code, run = std::move(run)] {
    if (!cmd.get_subcommands().empty()) return;
    if (has_server(*args, exit_code)) exit_code = run(*args);
  });
}

}  // namespace opz::agent_cli
