// PgDatabase: the Database on PostgreSQL (libpq), for installations that
// outgrow one machine; SQLite stays the embedded default.
//
// Same contract as SqliteDatabase (database.h): every write() is one
// transaction, committed entirely or not at all; read() runs in a snapshot.
// Inside one process writes go through one writer connection, one at a time,
// like SQLite's single writer. Across processes (several servers on one
// PostgreSQL) write transactions are SERIALIZABLE: a transaction that would
// break serializability fails with a serialization error and is run again
// from the start, up to kWriteAttempts times, so a write body must not have
// effects outside the database before it returns (the rule write() already
// states: the body may be rolled back).
//
// A connection the server closed is reopened before the next transaction.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/pg_session.h"

namespace opz::store {

class PgDatabase final : public Database {
 public:
  static constexpr int kWriteAttempts = 8;

  static Result<std::unique_ptr<PgDatabase>> open(const PostgresOptions& options);
  ~PgDatabase() override;

  Result<std::vector<std::string>> migrate() override;
  Result<std::vector<std::string>> applied_migrations() override;
  bool ready() override;
  void close() override;
  // This server's commits plus the commits other servers announced.
  uint64_t committed_writes() const override {
    return writes_committed_.load() + remote_commits_.load();
  }
  void write_async(std::function<Status(SqlSession&)> body,
                   std::function<void(Status)> done) override;
  std::string_view dialect() const override { return "postgres"; }
  // LISTEN on a connection of its own, on a thread of its own; reconnects
  // (and calls on_notify once, since notifications may have been missed).
  std::unique_ptr<Listening> listen(const std::string& channel,
                                    std::function<void()> on_notify) override;

 protected:
  Status run_transaction(bool write, const std::function<Status(SqlSession&)>& body) override;

 private:
  explicit PgDatabase(PostgresOptions options) : options_(std::move(options)) {}
  Status run_write(const std::function<Status(SqlSession&)>& body);
  Status run_read(const std::function<Status(SqlSession&)>& body);
  // A usable session in `slot` (reconnecting a broken one).
  Status ensure_connected(std::unique_ptr<PgSession>& slot);
  void committer_loop();

  PostgresOptions options_;

  std::mutex writer_mu_;
  std::unique_ptr<PgSession> writer_;
  std::atomic<std::thread::id> writer_thread_{};

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<PgSession>> free_readers_;
  int readers_out_ = 0;
  bool closed_ = false;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::pair<std::function<Status(SqlSession&)>, std::function<void(Status)>>> queue_;
  bool stopping_ = false;
  std::thread committer_;

  std::atomic<uint64_t> writes_committed_{0};
  std::atomic<uint64_t> remote_commits_{0};
  std::unique_ptr<Listening> commits_feed_;
};

}  // namespace opz::store
