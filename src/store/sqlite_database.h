// SqliteDatabase: the embedded-SQLite Database (store/database.h).
//
// One writer connection behind a mutex: write() runs BEGIN IMMEDIATE, the body,
// then COMMIT; an error or an exception from the body (or a failed COMMIT)
// rolls everything back, so nothing is ever half-written. A pool of
// `options.readers` query_only connections serves read(): a caller blocks until
// a reader is free, and the body runs inside BEGIN ... COMMIT, one consistent
// snapshot even while the writer commits.
//
// Rules for bodies: do not call write() from inside a write body (answers an
// internal error instead of deadlocking); a read() inside a write body does
// not see the write's uncommitted rows; do not call close() from a body.
//
// Thread-safety: every method may be called from any thread. close() waits
// for the running write and for every leased reader, then refuses new work
// with kUnavailable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/sqlite_session.h"

namespace opz::store {

struct DatabaseStats {
  uint64_t writes_committed = 0;
  uint64_t writes_rolled_back = 0;  // body error, exception, or failed COMMIT
  uint64_t reads = 0;
  uint64_t reader_waits = 0;  // read() calls that found no free reader and waited
};

class SqliteDatabase final : public Database {
 public:
  static Result<std::unique_ptr<SqliteDatabase>> open(const DatabaseOptions& options);
  ~SqliteDatabase() override;

  Result<std::vector<std::string>> migrate() override;
  Result<std::vector<std::string>> applied_migrations() override;
  bool ready() override;
  void close() override;
  uint64_t committed_writes() const override { return writes_committed_.load(); }

  DatabaseStats stats() const;

 protected:
  Status run_transaction(bool write, const std::function<Status(SqlSession&)>& body) override;

 private:
  SqliteDatabase() = default;
  Status run_write(const std::function<Status(SqlSession&)>& body);
  Status run_read(const std::function<Status(SqlSession&)>& body);
  // Blocks until a reader is free; nullptr once closed.
  SqliteSession* lease_reader();
  void return_reader(SqliteSession* reader);

  std::mutex writer_mu_;  // taken before pool_mu_ when both are needed
  std::unique_ptr<SqliteSession> writer_;
  std::atomic<std::thread::id> writer_thread_{};  // who is inside a write body

  mutable std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<SqliteSession>> readers_;
  std::vector<SqliteSession*> free_readers_;
  bool closed_ = false;  // written under both mutexes, read under either

  std::atomic<uint64_t> writes_committed_{0};
  std::atomic<uint64_t> writes_rolled_back_{0};
  std::atomic<uint64_t> reads_{0};
  std::atomic<uint64_t> reader_waits_{0};
};

}  // namespace opz::store
