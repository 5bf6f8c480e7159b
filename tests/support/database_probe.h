// DatabaseProbe: what an integration test reads (or, to prove a check catches
// it, tampers with) in the database a real server uses, whichever backend that
// is: SQLite in DATA_DIR/opzenix.db, or the PostgreSQL database the server was
// given (ServerProcess::database_url(); OPZ_TEST_BACKEND=postgres gives every
// test server one). The same assertions then hold on both backends.
//
// The probe opens its own connection through store::Database per call: reads
// run in one read transaction (a snapshot; on SQLite in WAL mode beside the
// running server's writer), exec/script in one write transaction. SQL must be
// portable between the two dialects: "$1" parameters, TRUE/FALSE, no
// backend-specific functions; values come back as the store layer gives them
// (booleans as 0/1, times as ISO-8601 text) on both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sql.h"

namespace opz::testing {

class ServerProcess;

// Where a server's database is: `url` when it is PostgreSQL, else the SQLite
// file in `data_dir`.
struct DatabaseLocation {
  DatabaseLocation(std::string data_dir, std::string url)
      : data_dir(std::move(data_dir)), url(std::move(url)) {}
  DatabaseLocation(const ServerProcess& server);  // NOLINT: a server names its database
  std::string data_dir;
  std::string url;

  bool postgres() const { return !url.empty(); }
  // What `opzenix` subcommands take to open it: {"--data-dir", D} or {"--database", U}.
  std::vector<std::string> cli_args() const;
};

// Runs one query in a read transaction. A missing SQLite file is kNotFound
// (never created by the probe).
Result<store::Rows> query_database(const DatabaseLocation& where, std::string_view sql,
                                   const store::Params& params = {});
// Runs one statement in a write transaction; answers the rows changed.
Result<int64_t> exec_database(const DatabaseLocation& where, std::string_view sql,
                              const store::Params& params = {});
// Runs several statements without parameters in one write transaction.
Status exec_database_script(const DatabaseLocation& where, std::string_view sql);

// COUNT(*) of `table` (WHERE `where` when not empty); a failed query fails the
// calling test (ADD_FAILURE naming the SQL) and answers -1.
int64_t count_rows(const DatabaseLocation& where, const std::string& table,
                   const std::string& condition = {}, const store::Params& params = {});
// The first column of every row as text; a failed query fails the calling test.
std::vector<std::string> column_texts(const DatabaseLocation& where, std::string_view sql,
                                      const store::Params& params = {});

// The rows of `sql` the way the sqlite3 command-line tool prints them: a
// line per row, columns joined by '|', NULL as "". A failed query fails the
// calling test and answers "".
std::string query_lines(const DatabaseLocation& where, std::string_view sql,
                        const store::Params& params = {});

// A copy of a STOPPED server's database that a test may change without
// touching the original: the SQLite files copied into a temp dir, or a new
// PostgreSQL database made from the server's (CREATE DATABASE ... TEMPLATE,
// which needs no other connection to the source), dropped with this object.
class DatabaseCopy {
 public:
  static Result<DatabaseCopy> of(const DatabaseLocation& source);
  DatabaseCopy(DatabaseCopy&& other) noexcept;
  DatabaseCopy& operator=(DatabaseCopy&&) = delete;
  ~DatabaseCopy();

  const DatabaseLocation& location() const { return location_; }

 private:
  explicit DatabaseCopy(DatabaseLocation location, std::string owned_dir, std::string admin_url,
                        std::string database_name);
  DatabaseLocation location_;
  std::string owned_dir_;      // SQLite: the temp dir to remove
  std::string admin_url_;      // PostgreSQL: where to DROP the copy
  std::string database_name_;  // empty when nothing to drop (or moved from)
};

}  // namespace opz::testing
