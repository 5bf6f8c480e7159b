// `opzenix db copy`: an installation moved from SQLite to PostgreSQL
// (store/database_copy.h; docs/postgres.md "Moving from SQLite").
#pragma once

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace opz::cli {

// Adds `copy` under the `db` subcommand.
void add_db_copy_command(CLI::App& db, CommandState& state);

}  // namespace opz::cli
