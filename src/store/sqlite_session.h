// SqliteSession: one SQLite connection seen through the SqlSession seam.
//
// Contract:
//   * open() configures the connection: busy_timeout, journal_mode=WAL (checked),
//     synchronous=NORMAL (FULL on request), foreign_keys=ON, temp_store=MEMORY,
//     and query_only=ON for reader connections.
//   * Parameters are bound BY NAME: params[i] goes to "$<i+1>" wherever (and
//     however often) it appears. A statement must use exactly $1..$N for N
//     params: a "$k" with k > N, any other parameter form ("?", ":x", "@x"), or
//     a param the statement never uses is an internal error (PostgreSQL also
//     rejects a parameter whose type it cannot infer, so this keeps SQL portable).
//   * Prepared statements are cached per connection, keyed by SQL text; after
//     each use a statement is reset and its bindings cleared.
//   * Errors: UNIQUE/PRIMARY KEY violations -> kConflict (message and field name
//     the table.column list), other constraint failures -> kValidation,
//     SQLITE_BUSY/LOCKED -> kUnavailable, SQLITE_TOOBIG -> kTooLarge, anything
//     else -> kInternal with the SQL's first 80 characters. Parameter values never
//     appear in messages.
//   * begin/commit/rollback drive the transaction the Database wraps around a body.
//
// Thread-safety: none; a session is used by one thread at a time (the Database
// serializes access). The connection is opened with SQLITE_OPEN_NOMUTEX.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "store/sql.h"

struct sqlite3;
struct sqlite3_stmt;

namespace opz::store {

struct SqliteSessionOptions {
  std::string path;
  bool synchronous_full = false;
  int busy_timeout_ms = 5000;
  bool query_only = false;  // reader connections refuse writes
  int64_t cache_bytes = 0;  // PRAGMA cache_size in bytes; 0: SQLite's default (2 MiB)
};

struct SqliteSessionStats {
  uint64_t prepares = 0;    // statements compiled (cache misses)
  uint64_t cache_hits = 0;  // statements reused from the cache
};

class SqliteSession final : public SqlSession {
 public:
  static constexpr size_t kStatementCacheCapacity = 512;

  // Opens (creating if needed) the database file. ":memory:" and "" are refused:
  // every connection of a Database must see the same file.
  static Result<std::unique_ptr<SqliteSession>> open(const SqliteSessionOptions& options);
  ~SqliteSession() override;
  SqliteSession(const SqliteSession&) = delete;
  SqliteSession& operator=(const SqliteSession&) = delete;

  Result<Rows> query(std::string_view sql, const Params& params = {}) override;
  Result<int64_t> exec(std::string_view sql, const Params& params = {}) override;
  Status exec_script(std::string_view sql) override;
  std::string_view dialect() const override { return "sqlite"; }

  // BEGIN IMMEDIATE (immediate) or BEGIN (deferred: a read snapshot).
  Status begin(bool immediate);
  // COMMIT; when SQLite already rolled the transaction back (some I/O errors
  // do), answers an error instead of committing nothing.
  Status commit();
  // ROLLBACK when a transaction is open; a no-op otherwise.
  Status rollback();
  bool in_transaction() const;
  // One nesting level inside a transaction: a batched write body's own undo.
  Status savepoint();
  Status release_savepoint();
  Status rollback_to_savepoint();  // and releases it

  const SqliteSessionStats& stats() const { return stats_; }
  size_t cached_statements() const { return cache_.size(); }
  // The connection itself, for connection-level hooks (WalCheckpointer's WAL
  // hook, checkpoints); SQL goes through the methods above.
  sqlite3* connection() const { return db_; }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> slot_param;  // parameter slot (1-based, index-1) -> params index
  };
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct TextEq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };

  explicit SqliteSession(sqlite3* db) : db_(db) {}
  Status configure(const SqliteSessionOptions& options);
  Result<Rows> switch_to_wal(int busy_timeout_ms);
  Result<Cached*> prepare(std::string_view sql);
  Status bind(const Cached& c, std::string_view sql, const Params& params);
  // Steps the statement to completion; collects rows when `out` is given and
  // the number of rows changed when `changes` is.
  Status run(std::string_view sql, const Params& params, Rows* out, int64_t* changes);
  Status exec_plain(const char* sql);
  // BEGIN / COMMIT / ROLLBACK run on every transaction: kept prepared here,
  // apart from the statement cache and its statistics.
  enum Control {
    kBegin,
    kBeginImmediate,
    kCommit,
    kRollback,
    kSavepoint,
    kRelease,
    kRollbackTo,
    kControlCount
  };
  Status exec_control(Control which);
  void clear_cache();

  sqlite3* db_;
  std::array<sqlite3_stmt*, kControlCount> control_{};
  std::unordered_map<std::string, Cached, TextHash, TextEq> cache_;
  SqliteSessionStats stats_;
};

}  // namespace opz::store
