// The data directory: <data-dir>/opzenix.db plus workspaces/ and outputs/ —
// or, with a PostgreSQL URL, the database there and the rest here.
// open_data_dir() creates it if needed, opens the database, applies pending
// migrations and makes sure the default organization exists — the same path
// for `serve`, `user create` and `db migrate`, so any of them works on a fresh
// directory.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::app {

struct DataDir {
  std::string path;
  std::unique_ptr<store::Database> db;
  std::vector<std::string> migrations_applied;  // applied by this open
};

// Which database a data directory uses and how it is opened.
struct DatabaseChoice {
  std::string database;  // "" for SQLite at <data dir>/opzenix.db, else a postgres:// URL
  bool sync_full = false;  // SQLite synchronous=FULL
  // SQLite: WAL pages after which a background thread checkpoints
  // (store::WalCheckpointer); 0 leaves it to SQLite's auto-checkpoint.
  int sqlite_checkpoint_pages = store::DatabaseOptions{}.checkpoint_pages;
  // SQLite: MiB of page cache per reader connection; 0: SQLite's default.
  int sqlite_reader_cache_mb = static_cast<int>(store::DatabaseOptions{}.reader_cache_bytes >> 20);
  // SQLite: group-commit window for async writes (DatabaseOptions::commit_window).
  std::chrono::microseconds sqlite_commit_window = store::DatabaseOptions{}.commit_window;
};

// The database settings of a server configuration.
DatabaseChoice database_choice_of(const ServerConfig& config);

Result<DataDir> open_data_dir(const std::string& path, const DatabaseChoice& choice = {});

// This server's identity on a shared database (execution ownership, issue
// 14): the id in <path>/server-id, created (a new uuid, written atomically)
// on first use, so a server restarted on its own data directory takes its own
// executions back at once. kUnavailable when the file cannot be read or
// written; a file that holds no id is replaced.
Result<std::string> server_id_for(const std::string& path);

// Opens (without migrating) the database `choice` names.
Result<std::unique_ptr<store::Database>> open_database(const DatabaseChoice& choice,
                                                      const std::string& data_dir);

}  // namespace opz::app
