// `opzenix run [FILE]` and `opzenix validate [FILE]`: a pipeline on this
// machine, without a server. main.cc parses the flags (CLI11) into these
// option structs; everything else happens here.
//
// run: validates FILE (exit 2 with every problem as "FILE:line:col: message"),
// then runs it in the current directory through engine::run_locally (the same
// engine and journal as the server, in <cwd>/.opzenix/opzenix.db or
// --data-dir), showing live progress — a spinner with the running nodes when
// stdout is a terminal, plain "[ 12/200] ok    build (0.4s)" lines otherwise —
// and a summary table. Exit: 0 success or warning, 1 failed or cancelled,
// 2 invalid pipeline or unreadable file, 130 interrupted (Ctrl-C cancels the
// run and kills its processes first).
// validate: exit 0 valid, 2 invalid (errors listed; --json prints the report).
// Not thread-safe (installs SIGINT/SIGTERM handlers for the duration of a run).
#pragma once

#include <string>

namespace opz::cli {

struct RunCommandOptions {
  std::string file = "opzenix.yml";
  std::string data_dir;     // default: <cwd>/.opzenix
  std::string branch;       // default: from git in the current directory
  std::string commit;       // default: from git in the current directory
  std::string environment;  // default: "local"
  int max_parallel = 0;     // default: the number of cores
  bool synchronous_full = false;
  bool quiet = false;  // only the final line
  bool json = false;   // only a JSON summary on stdout
};

struct ValidateCommandOptions {
  std::string file = "opzenix.yml";
  bool json = false;
};

int run_pipeline_command(const RunCommandOptions& options);
int validate_pipeline_command(const ValidateCommandOptions& options);

}  // namespace opz::cli
