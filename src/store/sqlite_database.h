// SqliteDatabase: the embedded-SQLite Database (store/database.h).
//
// One writer connection: write() runs BEGIN IMMEDIATE, the body, then COMMIT;
// an error or an exception from the body (or a failed COMMIT) rolls everything
// back, so nothing is ever half-written.
// Group commit: writers that arrive while a transaction is running queue up,
// and the next one to take the writer runs every queued body in ONE
// transaction, each inside its own SAVEPOINT (a failing body undoes only its
// own changes and gets its own error or exception back), then commits once;
// each caller returns when its body is durable. Under concurrent load (64
// webhook deliveries at once) this divides the COMMIT cost, the largest cost
// of a small write, by the batch size. A failed COMMIT fails every body of
// the batch.
// write_async() bodies join the same queue; when one reaches the head with no
// caller waiting to lead, the committer thread runs its batch, so an async
// writer never blocks, and a synchronous leader runs only its own batch.
// When async writes come back to back, the committer first lets more join
// (DatabaseOptions::commit_window, gather_async_writes).
// Readers: a pool of `options.readers` query_only connections serves read():
// a caller blocks until a reader is free, and the body runs inside BEGIN ...
// COMMIT, one consistent snapshot even while the writer commits.
//
// Rules for bodies: do not call write() from inside a write body (answers an
// internal error instead of deadlocking); a read() inside a write body does
// not see the write's uncommitted rows; do not call close() from a body.
//
// Thread-safety: every method may be called from any thread. close() waits
// for the running write and for every leased reader, then refuses new work
// with kUnavailable.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/sqlite_commit_feed.h"
#include "store/sqlite_session.h"
#include "store/wal_checkpointer.h"

namespace opz::store {

struct DatabaseStats {
  uint64_t writes_committed = 0;
  uint64_t writes_rolled_back = 0;  // body error, exception, or failed COMMIT
  uint64_t reads = 0;
  uint64_t reader_waits = 0;  // read() calls that found no free reader and waited
  uint64_t write_transactions = 0;  // COMMITs attempted: < writes when group commit batched
  uint64_t writes_queued = 0;       // write() calls waiting for the next batch right now
  uint64_t checkpoints = 0;  // WAL checkpoints run off the commit path (WalCheckpointer)
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
  void write_async(std::function<Status(SqlSession&)> body,
                   std::function<void(Status)> done) override;
  // "opz_events": called on the committing thread after every commit that
  // wrote the event log (sqlite_commit_feed.h); other channels: nullptr.
  std::unique_ptr<Listening> listen(const std::string& channel,
                                    std::function<void()> on_notify) override;

  DatabaseStats stats() const;

 protected:
  Status run_transaction(bool write, const std::function<Status(SqlSession&)>& body) override;

 private:
  SqliteDatabase() = default;
  // A write() waiting in the group-commit queue.
  // Written by the leader of its batch; read by its owner once `done` (set
  // under queue_mu_).
  struct QueuedWrite {
    const std::function<Status(SqlSession&)>* body;
    Status result;
    std::exception_ptr thrown;
    bool done = false;  // its batch has run: result/thrown are final
    bool lead = false;  // it runs the next batch
    size_t slot = 0;    // the wake_ entry it sleeps on
    // write_async(): the queue owns it; on_done is called, then it is deleted.
    std::function<Status(SqlSession&)> owned_body;
    std::function<void(Status)> on_done;
    bool async() const { return static_cast<bool>(on_done); }
  };
  Status run_write(const std::function<Status(SqlSession&)>& body);
  // Runs the queued writes as batches (lock held on entry, released on
  // return): one batch for a synchronous leader `me`, then the lead goes to
  // the next waiting caller, or to the committer for async writes. The
  // committer (me == nullptr) goes on while async writes head the queue.
  void lead_batches(std::unique_lock<std::mutex>& lock, const QueuedWrite* me);
  void committer_loop();
  // The group-commit window (DatabaseOptions::commit_window): called by the
  // committer holding `lock` when it is to lead; waits while more async
  // writes may join.
  void gather_async_writes(std::unique_lock<std::mutex>& lock);
  // Runs `batch` in one transaction on the writer (writer_mu_ held).
  void run_batch(const std::vector<QueuedWrite*>& batch);
  // One body of a batch inside its savepoint; false when SQLite has rolled
  // back the whole transaction.
  bool run_batched_body(SqliteSession& s, QueuedWrite& w);
  // Runs w's body on this thread, catching what it throws into w.thrown.
  void call_body(SqliteSession& s, QueuedWrite& w);
  Status run_read(const std::function<Status(SqlSession&)>& body);
  // Blocks until a reader is free; nullptr once closed.
  SqliteSession* lease_reader();
  void return_reader(SqliteSession* reader);

  std::mutex writer_mu_;  // taken before pool_mu_ when both are needed
  std::unique_ptr<SqliteSession> writer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // hooked on writer_; reset before it
  std::unique_ptr<SqliteCommitFeed> commit_feed_;  // hooked on writer_; reset before it
  std::atomic<std::thread::id> writer_thread_{};  // who is inside a write body
  mutable std::mutex queue_mu_;
  // Queued writers sleep on wake_[slot] (slots dealt round robin) and are
  // woken one by one: when their batch is done, or to lead the next one.
  // Waking only them, after queue_mu_ is released, spares every other
  // waiter a wake-up per batch. The condition variables belong to the
  // database, so notifying one after its waiter has returned is safe.
  std::array<std::condition_variable, 32> wake_;
  size_t next_slot_ = 0;            // under queue_mu_
  std::deque<QueuedWrite*> queue_;  // waiting for the next batch
  bool batch_running_ = false;      // under queue_mu_
  std::condition_variable committer_cv_;
  bool committer_lead_ = false;  // under queue_mu_: the committer runs the next batch
  bool committer_stop_ = false;  // under queue_mu_: close() began; write_async refuses
  size_t async_pending_ = 0;     // under queue_mu_: async writes not yet called back
  std::condition_variable drained_cv_;  // async_pending_ reached 0 after close() began
  std::chrono::microseconds commit_window_{0};
  bool committer_gathering_ = false;  // under queue_mu_: in gather_async_writes
  std::chrono::steady_clock::time_point committer_last_batch_end_{};  // committer thread only
  std::thread committer_;

  mutable std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<SqliteSession>> readers_;
  std::vector<SqliteSession*> free_readers_;
  bool closed_ = false;  // written under both mutexes, read under either

  std::atomic<uint64_t> writes_committed_{0};
  std::atomic<uint64_t> writes_rolled_back_{0};
  std::atomic<uint64_t> reads_{0};
  std::atomic<uint64_t> reader_waits_{0};
  std::atomic<uint64_t> write_transactions_{0};
};

}  // namespace opz::store
