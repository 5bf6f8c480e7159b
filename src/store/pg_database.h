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
// Failover (a Patroni cluster behind a multi-host URL with
// target_session_attrs=read-write, docs/postgres.md): a lost connection is
// reopened through the URL, which finds whichever server is the primary now.
// Attempts share one back-off (PgOutage); an outage is logged once when it
// starts and once, with its length, when it ends.
//   * A write waits for a primary (up to kOutageWait) and runs again ONLY when
//     it surely did not commit: the connection broke before COMMIT was sent
//     (the server rolls back an open transaction when its client goes), or
//     COMMIT's answer was lost and the new primary says the transaction's id
//     did not commit (pg_xact_status; an id the server has not reached yet
//     cannot have committed there). A transaction it reports committed is
//     not run again; one whose outcome cannot be learnt before the deadline
//     fails with kUnavailable ("outcome unknown") instead of being doubled.
//   * A read answers kUnavailable (503) while no primary is reachable; a
//     pooled reader whose connection went stale is reopened before its BEGIN.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "store/database.h"
#include "store/pg_outage.h"
#include "store/pg_session.h"

namespace opz::store {

class PgDatabase final : public Database {
 public:
  static constexpr int kWriteAttempts = 8;
  // How long a write waits for a primary (a failover takes seconds).
  static constexpr std::chrono::seconds kOutageWait{60};

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
  // A usable session in `slot`: keeps a healthy one, else one attempt to
  // connect (at once when the back-off allows, else kUnavailable).
  Status ensure_connected(std::unique_ptr<PgSession>& slot);
  // ensure_connected() until it succeeds, the deadline passes or close() runs.
  Status wait_for_connection(std::unique_ptr<PgSession>& slot, TimePoint deadline);
  // `slot`'s connection broke: drop it (the next ensure_connected reopens it).
  void connection_lost(std::unique_ptr<PgSession>& slot);
  // After COMMIT's answer was lost: did transaction `xid` commit? Asks the
  // (possibly new) primary through the writer connection.
  Result<bool> committed_after_all(const std::string& xid, TimePoint deadline);
  void committer_loop();

  PostgresOptions options_;

  PgOutage outage_{SystemClock::instance()};
  std::atomic<bool> closing_{false};

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
