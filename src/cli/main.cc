// opzenix: the single binary — server, administration and client commands.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Opzenix: a self-hosted deployment control tower", "opzenix"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "opzenix 0.1.0");
  opz::cli::CommandState state;
  opz::cli::add_server_commands(app, state);
  opz::cli::add_admin_commands(app, state);
  opz::cli::add_client_commands(app, state);
  opz::cli::add_pipeline_commands(app, state);
  opz::cli::add_audit_commands(app, state);
  opz::cli::add_secrets_commands(app, state);
  opz::cli::add_agent_commands(app, state);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    // CLI11 answers 0 for --help; usage errors are 2 like other Unix tools.
    return rc == 0 ? 0 : 2;
  }
  return state.exit_code;
}
