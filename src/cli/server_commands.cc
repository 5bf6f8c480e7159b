// `opzenix serve` (options generated from the configuration table) and
// `opzenix version`.
#include <iostream>
#include <map>
#include <memory>

#include "app/config.h"
#include "app/logging.h"
#include "app/server_app.h"
#include "app/version.h"
#include "cli/commands.h"

namespace opz::cli {

void add_server_commands(CLI::App& app, CommandState& state) {
  auto* serve = app.add_subcommand("serve", "Run the Opzenix server");
  auto flags = std::make_shared<std::map<std::string, std::string>>();
  auto values = std::make_shared<std::map<std::string, std::string>>();
  for (const auto& o : app::config_options()) {
    serve->add_option("--" + o.name, (*values)[o.name],
                      o.help + " [env " + o.env + ", default '" + o.default_text + "']");
  }
  serve->add_option("--config", (*values)["config"],
                    "YAML file of option: value pairs [env OPZENIX_CONFIG]");
  serve->callback([serve, values, flags, &state] {
    for (const auto& [name, value] : *values)
      if (serve->count("--" + name) > 0) (*flags)[name] = value;
    auto config = app::resolve_config(*flags, app::process_environment());
    if (!config) {
      std::cerr << "opzenix serve: " << config.error().message << "\n";
      state.exit_code = 2;
      return;
    }
    app::configure_logging(config->log_format, config->log_level);
    app::ServerApp server(*config);
    if (auto st = server.start(); !st) {
      std::cerr << "opzenix serve: " << st.error().message << "\n";
      state.exit_code = 1;
      return;
    }
    state.exit_code = server.run();
  });

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "opzenix " << app::kVersion << "\n"; });
}

}  // namespace opz::cli
