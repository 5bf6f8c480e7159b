// Commands that work directly on a data directory (no server needed):
//   opzenix user create --data-dir DIR --email E --role admin   (password on stdin)
//   opzenix db migrate --data-dir DIR
//   opzenix db copy --from sqlite:DIR --to postgres://...   (db_copy_command.cc)
// `user create` and `db migrate` take --database URL (or OPZENIX_DATABASE_URL)
// for PostgreSQL instead of DIR/opzenix.db.
#include <unistd.h>

#include <iostream>
#include <string>

#include "app/data_dir.h"
#include "auth/password.h"
#include "cli/commands.h"
#include "cli/db_copy_command.h"
#include "store/user_store.h"

namespace opz::cli {

namespace {

std::string read_password_from_stdin() {
  if (isatty(STDIN_FILENO)) std::cerr << "Password: " << std::flush;
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

void add_admin_commands(CLI::App& app, CommandState& state) {
  auto* user = app.add_subcommand("user", "Manage users in a data directory");
  user->require_subcommand(1);
  auto* create = user->add_subcommand("create", "Create a user; the password is read from stdin");
  auto opts = std::make_shared<std::map<std::string, std::string>>();
  (*opts)["data-dir"] = "./var";
  (*opts)["role"] = "viewer";
  create->add_option("--data-dir", (*opts)["data-dir"], "data directory (created if missing)");
  create->add_option("--email", (*opts)["email"], "email address")->required();
  create->add_option("--role", (*opts)["role"], "admin, operator or viewer")
      ->check(CLI::IsMember({"admin", "operator", "viewer"}));
  create->add_option("--full-name", (*opts)["full-name"], "display name");
  create->add_option("--database", (*opts)["database"], "postgres:// URL instead of SQLite")
      ->envname("OPZENIX_DATABASE_URL");
  create->callback([opts, &state] {
    auto dir = app::open_data_dir((*opts)["data-dir"], {.database = (*opts)["database"]});
    if (!dir) {
      std::cerr << "opzenix user create: " << dir.error().message << "\n";
      state.exit_code = 1;
      return;
    }
    const std::string password = read_password_from_stdin();
    auto hash = auth::hash_password(password);
    if (!hash) {
      std::cerr << "opzenix user create: " << hash.error().message << "\n";
      state.exit_code = 2;
      return;
    }
    store::UserStore users(*dir->db, SystemClock::instance());
    auto u = users.create((*opts)["email"], (*opts)["full-name"], *hash, (*opts)["role"]);
    if (!u) {
      std::cerr << "opzenix user create: " << u.error().message << "\n";
      state.exit_code = u.error().is_conflict() ? 3 : 1;
      return;
    }
    std::cout << "created " << u->role << " " << u->email << " (" << u->id << ")\n";
  });

  auto* db = app.add_subcommand("db", "Database administration");
  db->require_subcommand(1);
  auto* migrate = db->add_subcommand("migrate", "Apply pending schema migrations");
  auto dir_path = std::make_shared<std::string>("./var");
  auto database = std::make_shared<std::string>();
  migrate->add_option("--data-dir", *dir_path, "data directory");
  migrate->add_option("--database", *database, "postgres:// URL instead of SQLite")
      ->envname("OPZENIX_DATABASE_URL");
  migrate->callback([dir_path, database, &state] {
    auto dir = app::open_data_dir(*dir_path, {.database = *database});
    if (!dir) {
      std::cerr << "opzenix db migrate: " << dir.error().message << "\n";
      state.exit_code = 1;
      return;
    }
    if (dir->migrations_applied.empty()) std::cout << "schema up to date\n";
    for (const auto& m : dir->migrations_applied) std::cout << "applied " << m << "\n";
  });
  add_db_copy_command(*db, state);
}

}  // namespace opz::cli
