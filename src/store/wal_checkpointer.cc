#include "store/wal_checkpointer.h"

#include <sqlite3.h>

#include "store/store_log.h"

namespace opz::store {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(
    SqliteSession& writer, const SqliteSessionOptions& connection,
    WalCheckpointerOptions options) {
  if (options.threshold_pages < 1)
    return Error::validation("checkpoint threshold must be >= 1 page", "checkpoint_pages");
  SqliteSessionOptions own_options = connection;
  own_options.query_only = false;  // a checkpoint writes the database file
  OPZ_TRY(std::unique_ptr<SqliteSession> own, SqliteSession::open(own_options));
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(writer, std::move(own), options));
  c->thread_ = std::thread([p = c.get()] { p->loop(); });
  // Replaces SQLite's auto-checkpoint on the writer (they share this hook).
  sqlite3_wal_hook(writer.connection(), &WalCheckpointer::on_commit, c.get());
  return c;
}

WalCheckpointer::WalCheckpointer(SqliteSession& writer, std::unique_ptr<SqliteSession> own,
                                 WalCheckpointerOptions options)
    : writer_(writer), own_(std::move(own)), options_(options) {}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(writer_.connection(), nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (wal_pages >= c->options_.backstop_pages) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    c->backstop_checkpoints_.fetch_add(1);
    return SQLITE_OK;
  }
  // The log is restarted from its start only once a checkpoint copied all of
  // it and no reader still uses it; until then its length only grows. Ask
  // for a checkpoint when `threshold_pages` were added since the last one
  // copied, not at every commit over the threshold: each checkpoint syncs
  // the database file, and one per commit cost more than it saved.
  const int copied = c->copied_pages_.load();
  if (wal_pages >= (wal_pages < copied ? 0 : copied) + c->options_.threshold_pages) {
    {
      std::lock_guard lock(c->mu_);
      if (c->requested_) return SQLITE_OK;  // the thread has not started on it yet
      c->requested_ = true;
    }
    c->wake_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return requested_ || stop_; });
    if (stop_) return;
    // Cleared before the checkpoint, not after: a commit during it asks
    // again, so the pages it added are copied by the next round instead of
    // waiting in the log for a commit that may not come.
    requested_ = false;
    lock.unlock();
    int log_pages = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(own_->connection(), nullptr,
                                             SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
    // SQLITE_BUSY: another checkpoint is running (another process's); the
    // next commit over the threshold asks again.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
      store_log()->warn("WAL checkpoint failed: {}", sqlite3_errstr(rc));
    if (rc == SQLITE_OK) copied_pages_.store(copied);
    checkpoints_.fetch_add(1);
    lock.lock();
  }
}

}  // namespace opz::store
