// The `opzenix` command tree. main.cc builds the CLI11 app and asks each
// group to add its subcommands; each sets `exit_code` when it runs.
#pragma once

#include <CLI/CLI.hpp>

namespace opz::cli {

struct CommandState {
  int exit_code = 0;
};

// serve, version
void add_server_commands(CLI::App& app, CommandState& state);
// user create, db migrate (work directly on a data directory)
void add_admin_commands(CLI::App& app, CommandState& state);
// login, token, projects, executions (call a running server)
void add_client_commands(CLI::App& app, CommandState& state);
// run, validate (local pipelines, no server)
void add_pipeline_commands(CLI::App& app, CommandState& state);
// audit verify, audit export (the audit chain of a data directory, read-only)
void add_audit_commands(CLI::App& app, CommandState& state);
// secrets init, secrets rotate-key (the master key ring of stored secrets)
void add_secrets_commands(CLI::App& app, CommandState& state);
// agent, agent register (a remote agent polling a server for work; agent_command.cc)
void add_agent_commands(CLI::App& app, CommandState& state);

}  // namespace opz::cli
