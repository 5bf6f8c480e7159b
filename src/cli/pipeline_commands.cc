// `opzenix run [FILE]` and `opzenix validate [FILE]`: local pipelines, no
// server. The bodies live in cli/run_command.cc.
#include <memory>

#include "cli/commands.h"
#include "cli/run_command.h"

namespace opz::cli {

void add_pipeline_commands(CLI::App& app, CommandState& state) {
  auto run_opts = std::make_shared<RunCommandOptions>();
  auto* run = app.add_subcommand("run", "Run a pipeline here, without a server");
  run->add_option("file", run_opts->file, "pipeline file (default opzenix.yml)");
  run->add_option("--data-dir", run_opts->data_dir, "where to record the run (default ./.opzenix)");
  run->add_option("--branch", run_opts->branch, "branch name (default: from git)");
  run->add_option("--commit", run_opts->commit, "commit sha (default: from git)");
  run->add_option("--environment", run_opts->environment, "environment name (default: local)");
  run->add_option("--max-parallel", run_opts->max_parallel, "nodes at once (default: cores)")
      ->check(CLI::Range(0, 4096));
  run->add_flag("--sync-full", run_opts->synchronous_full,
                "fsync every commit (SQLite synchronous=FULL)");
  run->add_flag("--quiet,-q", run_opts->quiet, "print only the final line");
  run->add_flag("--json", run_opts->json, "print a JSON summary");
  run->callback([run_opts, &state] { state.exit_code = run_pipeline_command(*run_opts); });

  auto validate_opts = std::make_shared<ValidateCommandOptions>();
  auto* validate = app.add_subcommand("validate", "Check a pipeline file; exit 2 when invalid");
  validate->add_option("file", validate_opts->file, "pipeline file (default opzenix.yml)");
  validate->add_flag("--json", validate_opts->json, "print the validation report as JSON");
  validate->callback(
      [validate_opts, &state] { state.exit_code = validate_pipeline_command(*validate_opts); });
}

}  // namespace opz::cli
