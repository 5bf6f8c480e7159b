// `opzenix run [FILE]` and `opzenix validate [FILE]`: local pipelines, no
// server. The bodies live in cli/run_command.cc (written with the engine).
#include "cli/commands.h"

namespace opz::cli {

void add_pipeline_commands(CLI::App& app, CommandState& state) {
  (void)app;
  (void)state;
}

}  // namespace opz::cli
