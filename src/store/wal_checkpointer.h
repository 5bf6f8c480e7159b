// WalCheckpointer: checkpoints an SQLite database's write-ahead log on a
// thread of its own, so that no commit pays for it.
//
// Why: SQLite's auto-checkpoint runs inside the commit that finds the WAL over
// 1,000 pages, on the writer connection. With one writer shared by every
// request (group commit, SqliteDatabase), that commit and every write queued
// behind it wait while the log is copied into the database file: under a
// stream of webhook deliveries, ~15 % of the writer's time and the latency
// tail. Here the writer's commit only looks at the log's length (the WAL
// hook, which replaces the auto-checkpoint) and wakes this thread, which runs
// a PASSIVE checkpoint on its own connection: it copies what no reader still
// needs, never blocks the writer or a reader, and the writer restarts the log
// from its start once everything was copied.
//
// Back-stop: should the log reach `backstop_pages` anyway (the thread cannot
// keep up, or a long read holds old pages), the commit that finds it that long
// checkpoints itself, as SQLite would, so the log stays bounded.
//
// Contract: the writer connection must outlive this object; destroy this
// object while no commit runs on the writer (SqliteDatabase::close() holds the
// writer). Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "store/sqlite_session.h"

namespace opz::store {

struct WalCheckpointerOptions {
  int threshold_pages = 250;   // wake the thread when this many were added since the last copy
  int backstop_pages = 16000;  // the commit itself checkpoints from this many (~64 MB)
};

class WalCheckpointer {
 public:
  // Opens the thread's own connection with `connection` (the database's
  // options) and installs the WAL hook on `writer`.
  static Result<std::unique_ptr<WalCheckpointer>> start(SqliteSession& writer,
                                                        const SqliteSessionOptions& connection,
                                                        WalCheckpointerOptions options);
  // Removes the hook from the writer, stops the thread, closes its connection.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints run by the thread, and by the back-stop on the writer.
  uint64_t checkpoints() const { return checkpoints_.load(); }
  uint64_t backstop_checkpoints() const { return backstop_checkpoints_.load(); }

 private:
  WalCheckpointer(SqliteSession& writer, std::unique_ptr<SqliteSession> own,
                  WalCheckpointerOptions options);
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void loop();

  SqliteSession& writer_;
  std::unique_ptr<SqliteSession> own_;
  WalCheckpointerOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool requested_ = false;  // under mu_
  bool stop_ = false;       // under mu_
  std::atomic<int> copied_pages_{0};  // the log's pages the last checkpoint had copied
  std::atomic<uint64_t> checkpoints_{0};
  std::atomic<uint64_t> backstop_checkpoints_{0};
  std::thread thread_;
};

}  // namespace opz::store
