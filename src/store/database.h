// Database: the process's handle on the store.
//
// Two backends behind one interface: SQLite (embedded, the default; see
// sqlite_database.h) and PostgreSQL (several servers; see pg_database.h).
//
// SQLite in WAL mode with a busy timeout: ONE writer connection (all writes are
// serialized through it, each inside BEGIN IMMEDIATE ... COMMIT) and a pool of
// reader connections (each read runs in its own snapshot). Every state change
// the product makes is one call to write(): it commits entirely or not at all.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "store/sql.h"

namespace opz::store {

struct DatabaseOptions {
  std::string path;              // file path; ":memory:" is not supported (readers need a file)
  bool synchronous_full = false; // WAL + synchronous=NORMAL by default (durable to process crash)
  int readers = 4;
  int busy_timeout_ms = 5000;
  // WAL pages after which a background thread checkpoints (WalCheckpointer),
  // so no commit waits for one; 0 leaves it to SQLite's own auto-checkpoint,
  // run inside the commit that crosses 1,000 pages. Small and often beats
  // large and rare: each checkpoint's copy and sync slows the commits beside
  // it for as long as it lasts (docs/performance.md, webhook intake: p99
  // 12 ms at 250 pages, 22 ms with SQLite's own, 35 ms at 1,000, 90 ms at
  // 4,000).
  int checkpoint_pages = 250;
  // Page cache of each reader connection (PRAGMA cache_size), filled only as
  // far as reads need it. SQLite's default, 2 MiB, could not hold the rows
  // of 1,000 held executions, so every pass over them read each page again
  // with a system call and a copy (docs/performance.md, one push, 1,000
  // projects: a second push 4.8 s with it, 0.6 s with 16 MiB). The writer
  // keeps SQLite's default: what it writes is in the write-ahead log, and
  // large webhook bodies must not stay cached (RSS after large bodies).
  // 0: SQLite's default.
  int64_t reader_cache_bytes = int64_t{16} << 20;
  // Group commit for write_async (webhook intake): when async writes arrive
  // back to back (the committer's previous batch ended less than this long
  // ago), the committer waits up to this long for more to join before it
  // commits, like PostgreSQL's commit_delay, but only while they keep coming:
  // a quarter of the window with no new one ends the wait. N deliveries share one
  // commit's append pages (the last leaf of the table and of each index)
  // instead of writing them N times to the WAL and again at checkpoint
  // (docs/performance.md, webhook intake). A synchronous writer joining the
  // queue, or a full batch (64), ends the wait at once. 0: no wait.
  std::chrono::microseconds commit_window{1000};
};

struct PostgresOptions {
  std::string url;  // libpq URL: postgresql://user@host:port/db?sslmode=...
  int readers = 4;  // reader connections (writes use one more)
};

class Database {
 public:
  virtual ~Database() = default;

  // Opens (creating if needed) and configures the SQLite database. Does not migrate.
  static Result<std::unique_ptr<Database>> open_sqlite(const DatabaseOptions& options);
  // Connects to PostgreSQL (readers + 1 connections). Does not migrate.
  static Result<std::unique_ptr<Database>> open_postgres(const PostgresOptions& options);

  // "sqlite" or "postgres": the SQL dialect every session of this database speaks.
  virtual std::string_view dialect() const { return "sqlite"; }

  // Calls `on_notify` after every commit of a transaction that notified
  // `channel`: PostgreSQL's (any server's) on a thread of its own, SQLite's
  // on the committing thread (sqlite_commit_feed.h: the channels it has).
  // Answers nullptr where the database has no feed for `channel`.
  // Destroying the handle stops the calls.
  struct Listening {
    virtual ~Listening() = default;
  };
  virtual std::unique_ptr<Listening> listen(const std::string& channel,
                                            std::function<void()> on_notify) {
    (void)channel;
    (void)on_notify;
    return nullptr;
  }

  // Applies pending embedded migrations; answers the names applied now.
  virtual Result<std::vector<std::string>> migrate() = 0;
  // Names of applied migrations, in order.
  virtual Result<std::vector<std::string>> applied_migrations() = 0;
  // True when the database answers and every embedded migration is applied.
  virtual bool ready() = 0;
  virtual void close() = 0;
  // Write transactions this process has committed; it rises only after the
  // commit is visible to readers (a generation for caches of query answers).
  virtual uint64_t committed_writes() const = 0;

  // Runs `fn` in one write transaction; commits when fn succeeds, rolls back
  // when it returns an error or throws (the exception is rethrown).
  template <typename F>
  auto write(F&& fn) -> std::invoke_result_t<F, SqlSession&> {
    return run<std::invoke_result_t<F, SqlSession&>>(true, std::forward<F>(fn));
  }
  // Like write(), without waiting: `body` runs in a write transaction later,
  // and `done` is called exactly once with its result once that is durable
  // (committed) or undone. `done` runs on whichever thread ran the
  // transaction, never inside the caller; it must be quick (hand the result
  // on) and may not call close(). A body that throws answers kInternal. This
  // is how a thread that must not block (an HTTP I/O thread) writes.
  virtual void write_async(std::function<Status(SqlSession&)> body,
                           std::function<void(Status)> done) = 0;

  // Runs `fn` on a reader connection inside a read transaction (a snapshot).
  template <typename F>
  auto read(F&& fn) -> std::invoke_result_t<F, SqlSession&> {
    return run<std::invoke_result_t<F, SqlSession&>>(false, std::forward<F>(fn));
  }

 protected:
  // The body returns Status; the template above carries T through a capture.
  virtual Status run_transaction(bool write, const std::function<Status(SqlSession&)>& body) = 0;

 private:
  template <typename R, typename F>
  R run(bool write, F&& fn) {
    if constexpr (std::is_same_v<R, Status>) {
      return run_transaction(write, [&](SqlSession& s) { return fn(s); });
    } else {
      std::optional<R> out;
      Status st = run_transaction(write, [&](SqlSession& s) -> Status {
        out.emplace(fn(s));
        if (!out->ok()) return out->error();
        return {};
      });
      // fn's own error wins; otherwise a failed BEGIN/COMMIT (or a throw caught
      // below us) must not be reported as fn's success.
      if (!st.ok() && (!out || out->ok())) return st.error();
      return std::move(*out);
    }
  }
};

}  // namespace opz::store
