// The master key ring of stored secrets (docs/secrets.md), offline:
//   opzenix secrets init       [--data-dir DIR] [--master-key-file FILE] [--config FILE]
//   opzenix secrets rotate-key [--data-dir DIR] [--master-key-file FILE] [--config FILE]
// The paths resolve like `serve` (flag > OPZENIX_* variable > config file >
// default <data-dir>/master.key). init creates the ring with one key (0600)
// and never replaces an existing one (exit 3). rotate-key adds a key and
// re-encrypts every secret under it, online, one row per transaction; run
// again after an interruption it finishes the same rotation (key_rotation.h).
// Exit codes: 0 done, 1 some secrets could not be decrypted, 2 cannot run, 3
// the ring already exists.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/config.h"
#include "app/data_dir.h"
#include "cli/commands.h"
#include "cli/key_rotation.h"
#include "secrets/master_keys.h"
#include "secrets/secret_box.h"

namespace opz::cli {

namespace {

using Flags = std::map<std::string, std::string>;

void add_location_options(CLI::App* cmd, const std::shared_ptr<Flags>& flags) {
  for (const char* name : {"data-dir", "master-key-file", "config"}) {
    cmd->add_option_function<std::string>(
        std::string("--") + name, [flags, name](const std::string& v) { (*flags)[name] = v; },
        name == std::string("config") ? "configuration file (as for serve)"
                                      : "as for serve (see `opzenix serve --help`)");
  }
}

Result<app::ServerConfig> resolve(const Flags& flags) {
  return app::resolve_config(flags, app::process_environment());
}

bool key_in_environment() {
  return app::process_environment().count(std::string(secrets::kMasterKeyEnv)) > 0;
}

int init(const Flags& flags) {
  auto config = resolve(flags);
  if (!config) {
    std::cerr << "opzenix secrets init: " << config.error().message << "\n";
    return 2;
  }
  const std::string file = app::master_key_path(*config);
  std::error_code ec;
  const auto parent = std::filesystem::path(file).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  Status created = secrets::init_key_ring_file(file);
  if (!created) {
    const bool exists = created.error().code == ErrorCode::kConflict;
    std::cerr << "opzenix secrets init: " << created.error().message
              << (exists ? "; its keys are kept (rotate with `opzenix secrets rotate-key`)" : "")
              << "\n";
    return exists ? 3 : 2;
  }
  std::cout << "created the master key ring " << file
            << " (mode 0600, key k1); back it up: without it the stored secrets cannot be read\n";
  if (key_in_environment())
    std::cout << "note: " << secrets::kMasterKeyEnv
              << " is set and takes precedence over this file\n";
  return 0;
}

int rotate(const Flags& flags) {
  if (key_in_environment()) {
    std::cerr << "opzenix secrets rotate-key: the key ring comes from " << secrets::kMasterKeyEnv
              << "; rotate with a key ring file (unset it, or add a key to its text yourself)\n";
    return 2;
  }
  auto config = resolve(flags);
  if (!config) {
    std::cerr << "opzenix secrets rotate-key: " << config.error().message << "\n";
    return 2;
  }
  auto dir = app::open_data_dir(config->data_dir, app::database_choice_of(*config));
  if (!dir) {
    std::cerr << "opzenix secrets rotate-key: " << dir.error().message << "\n";
    return 2;
  }
  RotationOptions options;
  options.key_file = app::master_key_path(*config);
  options.legacy_key_file = config->data_dir + "/" + std::string(secrets::kKeyFileName);
  auto report = rotate_master_key(*dir->db, SystemClock::instance(), options);
  if (!report) {
    std::cerr << "opzenix secrets rotate-key: " << report.error().message << "\n";
    return 2;
  }
  std::cout << (report->resumed ? "finished the interrupted rotation to key "
                                : "added key ")
            << report->key_id << ": " << report->resealed << " secret(s) re-encrypted";
  if (report->skipped > 0) std::cout << ", " << report->skipped << " set meanwhile";
  std::cout << "\n";
  for (const std::string& name : report->unreadable)
    std::cerr << "opzenix secrets rotate-key: cannot decrypt " << name
              << "; it stays under its old key (set it again to fix it)\n";
  return report->unreadable.empty() ? 0 : 1;
}

}  // namespace

void add_secrets_commands(CLI::App& app, CommandState& state) {
  auto* secrets = app.add_subcommand("secrets", "The master key ring of stored secrets");
  secrets->require_subcommand(1);
  auto init_flags = std::make_shared<Flags>();
  auto* init_cmd = secrets->add_subcommand("init", "Create the master key ring (mode 0600)");
  add_location_options(init_cmd, init_flags);
  init_cmd->callback([init_flags, &state] { state.exit_code = init(*init_flags); });
  auto rotate_flags = std::make_shared<Flags>();
  auto* rotate_cmd = secrets->add_subcommand(
      "rotate-key", "Add a master key and re-encrypt every secret under it (online)");
  add_location_options(rotate_cmd, rotate_flags);
  rotate_cmd->callback([rotate_flags, &state] { state.exit_code = rotate(*rotate_flags); });
}

}  // namespace opz::cli
