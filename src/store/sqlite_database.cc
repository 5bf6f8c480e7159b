#include "store/sqlite_database.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/clock.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "store/store_log.h"

namespace opz::store {

namespace {

// The group-commit window ends early once this many writes are queued.
constexpr size_t kGatherTarget = 64;

void roll_back(SqliteSession& session) { log_failed_rollback(session.rollback()); }

}  // namespace

Result<std::unique_ptr<Database>> Database::open_sqlite(const DatabaseOptions& options) {
  OPZ_TRY(std::unique_ptr<SqliteDatabase> db, SqliteDatabase::open(options));
  return std::unique_ptr<Database>(std::move(db));
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const DatabaseOptions& options) {
  if (options.readers < 1) return Error::validation("readers must be >= 1", "readers");
  if (options.busy_timeout_ms < 0) {
    return Error::validation("busy_timeout_ms must be >= 0", "busy_timeout_ms");
  }
  if (options.reader_cache_bytes < 0) {
    return Error::validation("reader_cache_bytes must be >= 0", "reader_cache_bytes");
  }
  if (options.commit_window.count() < 0) {
    return Error::validation("commit_window must be >= 0", "commit_window");
  }
  SqliteSessionOptions session_options{options.path, options.synchronous_full,
                                       options.busy_timeout_ms, /*query_only=*/false};
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase());
  db->commit_window_ = options.commit_window;
  // The writer first: it creates the file and switches it to WAL.
  OPZ_TRY(db->writer_, SqliteSession::open(session_options));
  db->commit_feed_ = std::make_unique<SqliteCommitFeed>(db->writer_->connection());
  session_options.query_only = true;
  session_options.cache_bytes = options.reader_cache_bytes;
  for (int i = 0; i < options.readers; ++i) {
    OPZ_TRY(std::unique_ptr<SqliteSession> reader, SqliteSession::open(session_options));
    db->free_readers_.push_back(reader.get());
    db->readers_.push_back(std::move(reader));
  }
  if (options.checkpoint_pages > 0) {
    WalCheckpointerOptions wal;
    wal.threshold_pages = options.checkpoint_pages;
    wal.backstop_pages = std::max(16 * options.checkpoint_pages, 16000);
    OPZ_TRY(db->checkpointer_, WalCheckpointer::start(*db->writer_, session_options, wal));
  }
  db->committer_ = std::thread([d = db.get()] { d->committer_loop(); });
  return db;
}

SqliteDatabase::~SqliteDatabase() { close(); }

void SqliteDatabase::close() {
  // Async writes queued before this point still run (on the committer, or on
  // the caller leading when it stops); later ones are refused.
  {
    std::lock_guard lock(queue_mu_);
    committer_stop_ = true;
  }
  committer_cv_.notify_all();
  if (committer_.joinable() && committer_.get_id() != std::this_thread::get_id()) committer_.join();
  {
    // Whoever leads now runs the rest (see lead_batches); wait for them.
    std::unique_lock lock(queue_mu_);
    drained_cv_.wait(lock, [&] { return async_pending_ == 0; });
  }
  std::lock_guard writer_lock(writer_mu_);
  std::unique_lock pool_lock(pool_mu_);
  if (closed_) return;
  closed_ = true;
  pool_cv_.notify_all();  // readers waiting for a lease give up
  pool_cv_.wait(pool_lock, [&] { return free_readers_.size() == readers_.size(); });
  free_readers_.clear();
  readers_.clear();
  checkpointer_.reset();
  commit_feed_.reset();
  writer_.reset();
}

Status SqliteDatabase::run_transaction(bool write, const std::function<Status(SqlSession&)>& body) {
  return write ? run_write(body) : run_read(body);
}

Status SqliteDatabase::run_write(const std::function<Status(SqlSession&)>& body) {
  if (writer_thread_.load() == std::this_thread::get_id()) {
    return Error::internal(
        "write() called inside a write body (nested write transactions "
        "are not supported)");
  }
  QueuedWrite me{&body, {}, nullptr, false, false, 0, {}, {}};
  std::unique_lock lock(queue_mu_);
  me.slot = next_slot_++ % wake_.size();
  queue_.push_back(&me);
  if (committer_gathering_) committer_cv_.notify_one();  // a caller waits: commit now
  if (batch_running_) {
    wake_[me.slot].wait(lock, [&] { return me.done || me.lead; });
  } else {
    batch_running_ = true;  // nobody runs one: this caller leads at once
  }
  if (!me.done) {
    lead_batches(lock, &me);
  } else {
    lock.unlock();
  }
  if (me.thrown) std::rethrow_exception(me.thrown);
  return me.result;
}

std::unique_ptr<Database::Listening> SqliteDatabase::listen(const std::string& channel,
                                                            std::function<void()> on_notify) {
  std::lock_guard lock(writer_mu_);  // commit_feed_ lives as long as the writer
  if (!commit_feed_) return nullptr;
  return commit_feed_->listen(channel, std::move(on_notify));
}

void SqliteDatabase::write_async(std::function<Status(SqlSession&)> body,
                                 std::function<void(Status)> done) {
  auto w = std::make_unique<QueuedWrite>();
  w->owned_body = std::move(body);
  w->body = &w->owned_body;
  w->on_done = std::move(done);
  {
    std::lock_guard lock(queue_mu_);
    if (!committer_stop_) {
      ++async_pending_;
      queue_.push_back(w.release());
      if (batch_running_) {  // whoever runs it hands the lead on
        if (committer_gathering_ && queue_.size() >= kGatherTarget) committer_cv_.notify_one();
        return;
      }
      batch_running_ = true;
      committer_lead_ = true;
    }
  }
  if (w) return w->on_done(Error::unavailable("database is closed"));
  committer_cv_.notify_one();
}

void SqliteDatabase::lead_batches(std::unique_lock<std::mutex>& lock, const QueuedWrite* me) {
  for (;;) {
    std::vector<QueuedWrite*> batch(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    {
      std::lock_guard writer_lock(writer_mu_);
      run_batch(batch);
    }
    lock.lock();
    std::vector<size_t> to_wake;
    std::vector<std::unique_ptr<QueuedWrite>> finished;  // async ones
    for (QueuedWrite* w : batch) {
      if (w->async()) {
        finished.emplace_back(w);
      } else {
        w->done = true;
        if (w != me) to_wake.push_back(w->slot);
      }
    }
    // Hand the lead on: to the caller waiting at the head, else (async
    // writes) to the committer, which is this thread when me == nullptr (it
    // returns to its loop, which opens the group-commit window first).
    // Once close() has begun there is no committer: whoever leads goes on.
    bool go_on = false;
    bool wake_committer = false;
    if (queue_.empty()) {
      batch_running_ = false;
    } else if (!queue_.front()->async()) {
      queue_.front()->lead = true;
      to_wake.push_back(queue_.front()->slot);
    } else if (committer_stop_) {
      go_on = true;
    } else {
      committer_lead_ = true;
      wake_committer = me != nullptr;
    }
    lock.unlock();
    std::sort(to_wake.begin(), to_wake.end());
    to_wake.erase(std::unique(to_wake.begin(), to_wake.end()), to_wake.end());
    for (size_t slot : to_wake) wake_[slot].notify_all();  // a slot may have several sleepers
    if (wake_committer) committer_cv_.notify_one();
    for (auto& w : finished) {
      Status st = w->result;
      if (w->thrown) {
        try {
          std::rethrow_exception(w->thrown);
        } catch (const std::exception& e) {
          st = Error::internal(std::string("write body threw: ") + e.what());
        } catch (...) {
          st = Error::internal("write body threw");
        }
      }
      w->on_done(std::move(st));
    }
    if (!finished.empty()) {
      std::lock_guard count_lock(queue_mu_);
      async_pending_ -= finished.size();
      if (async_pending_ == 0 && committer_stop_) drained_cv_.notify_all();  // close() waits
    }
    if (!go_on) return;
    lock.lock();
  }
}

void SqliteDatabase::committer_loop() {
  std::unique_lock lock(queue_mu_);
  for (;;) {
    committer_cv_.wait(lock, [&] { return committer_lead_ || committer_stop_; });
    if (committer_lead_) {
      committer_lead_ = false;
      gather_async_writes(lock);
      lead_batches(lock, nullptr);
      committer_last_batch_end_ = std::chrono::steady_clock::now();
      lock.lock();
      continue;
    }
    return;  // stopping, and no batch is ours
  }
}

void SqliteDatabase::gather_async_writes(std::unique_lock<std::mutex>& lock) {
  // Only when writes come back to back: a lone write (the previous batch
  // ended long ago) commits at once, so the window costs no latency when
  // there is nothing to share the commit with.
  const auto start = std::chrono::steady_clock::now();
  if (commit_window_.count() == 0 || start - committer_last_batch_end_ >= commit_window_) return;
  // Wait in slices of a quarter window, and only while writes keep coming: a
  // slice in which none arrived ends the wait. A fixed wait would idle the
  // writer while callers that have all queued wait for it (32 connections
  // posting closed-loop: 5,900/s with a fixed 1 ms window, 8,200/s without).
  const auto end = start + commit_window_;
  const auto slice = commit_window_ / 4;
  const auto enough = [&] {
    if (committer_stop_ || queue_.size() >= kGatherTarget) return true;
    for (const QueuedWrite* w : queue_) {
      if (!w->async()) return true;  // a caller is blocked on this batch
    }
    return false;
  };
  committer_gathering_ = true;
  for (size_t seen = queue_.size();;) {
    const auto until = std::min(end, std::chrono::steady_clock::now() + slice);
    if (committer_cv_.wait_until(lock, until, enough)) break;
    if (queue_.size() == seen || std::chrono::steady_clock::now() >= end) break;
    seen = queue_.size();
  }
  committer_gathering_ = false;
}

void SqliteDatabase::run_batch(const std::vector<QueuedWrite*>& batch) {
  auto fail_all = [&](const Error& e) {
    for (QueuedWrite* w : batch) w->result = e;
    writes_rolled_back_ += batch.size();
  };
  if (closed_) return fail_all(Error::unavailable("database is closed"));
  SqliteSession& s = *writer_;
  if (Status st = s.begin(/*immediate=*/true); !st.ok()) return fail_all(st.error());
  commit_feed_->begin();
  ++write_transactions_;
  bool alive = true;  // the transaction is still open
  if (batch.size() == 1) {
    // Alone: the body's failure rolls back the transaction; no savepoint needed.
    QueuedWrite& w = *batch.front();
    call_body(s, w);
    if (w.thrown || !w.result.ok()) {
      roll_back(s);
      ++writes_rolled_back_;
      return;
    }
  } else {
    for (QueuedWrite* w : batch) {
      if (!alive) {
        w->result = Error::unavailable("a write batched with this one failed the transaction");
        continue;
      }
      alive = run_batched_body(s, *w);
    }
    if (!alive) {
      // SQLite rolled the whole transaction back (I/O error, disk full):
      // nothing of the batch is stored, so no body may report success.
      for (QueuedWrite* w : batch) {
        if (!w->thrown && w->result.ok())
          w->result = Error::unavailable("the database rolled back a batch of writes");
      }
      roll_back(s);
      writes_rolled_back_ += batch.size();
      return;
    }
  }
  Status committed = s.commit();  // on failure commit() has already rolled back
  size_t ok = 0;
  for (QueuedWrite* w : batch) {
    if (w->thrown || !w->result.ok()) continue;
    if (!committed.ok()) {
      w->result = committed;
    } else {
      ++ok;
    }
  }
  if (!committed.ok()) roll_back(s);
  writes_committed_ += ok;
  writes_rolled_back_ += batch.size() - ok;
  if (committed.ok()) commit_feed_->committed();
}

void SqliteDatabase::call_body(SqliteSession& s, QueuedWrite& w) {
  writer_thread_.store(std::this_thread::get_id());
  try {
    w.result = (*w.body)(s);
  } catch (...) {
    w.thrown = std::current_exception();  // rethrown on the caller's own thread
  }
  writer_thread_.store(std::thread::id());
}

bool SqliteDatabase::run_batched_body(SqliteSession& s, QueuedWrite& w) {
  if (Status st = s.savepoint(); !st.ok()) {
    w.result = st;
    return s.in_transaction();
  }
  call_body(s, w);
  if (!s.in_transaction()) {
    if (!w.thrown && w.result.ok())
      w.result = Error::unavailable("the database rolled back the transaction");
    return false;
  }
  const bool failed = w.thrown || !w.result.ok();
  Status undo = failed ? s.rollback_to_savepoint() : s.release_savepoint();
  if (!undo.ok()) {
    store_log()->error("savepoint: {}", undo.error().to_string());
    if (!failed) w.result = undo;
    return false;  // the transaction's state is unknown: give the batch up
  }
  return true;
}

Status SqliteDatabase::run_read(const std::function<Status(SqlSession&)>& body) {
  SqliteSession* reader = lease_reader();
  if (!reader) return Error::unavailable("database is closed");
  struct Lease {
    SqliteDatabase* db;
    SqliteSession* reader;
    ~Lease() { db->return_reader(reader); }
  } lease{this, reader};
  ++reads_;
  OPZ_TRY_STATUS(reader->begin(/*immediate=*/false));
  Status st;
  try {
    st = body(*reader);
  } catch (...) {
    roll_back(*reader);
    throw;
  }
  // A read transaction has nothing to keep: ending it either way releases
  // the snapshot. COMMIT also reports the (rare) error of a read that left
  // the transaction in a bad state.
  if (!st.ok()) {
    roll_back(*reader);
    return st;
  }
  return reader->commit();
}

SqliteSession* SqliteDatabase::lease_reader() {
  std::unique_lock lock(pool_mu_);
  if (!closed_ && free_readers_.empty()) ++reader_waits_;
  pool_cv_.wait(lock, [&] { return closed_ || !free_readers_.empty(); });
  if (closed_) return nullptr;
  SqliteSession* reader = free_readers_.back();
  free_readers_.pop_back();
  return reader;
}

void SqliteDatabase::return_reader(SqliteSession* reader) {
  {
    std::lock_guard lock(pool_mu_);
    free_readers_.push_back(reader);
  }
  pool_cv_.notify_all();
}

Result<std::vector<std::string>> SqliteDatabase::migrate() {
  return Migrator(*this, embedded_migrations(), SystemClock::instance()).apply();
}

Result<std::vector<std::string>> SqliteDatabase::applied_migrations() {
  return Migrator(*this, embedded_migrations(), SystemClock::instance()).applied();
}

bool SqliteDatabase::ready() {
  Result<bool> up = Migrator(*this, embedded_migrations(), SystemClock::instance()).up_to_date();
  return up.ok() && *up;
}

DatabaseStats SqliteDatabase::stats() const {
  uint64_t queued = 0;
  {
    std::lock_guard lock(queue_mu_);
    queued = queue_.size();
  }
  uint64_t checkpoints = 0;
  {
    std::lock_guard lock(pool_mu_);  // close() resets the checkpointer under it
    if (checkpointer_) checkpoints = checkpointer_->checkpoints() + checkpointer_->backstop_checkpoints();
  }
  return DatabaseStats{writes_committed_.load(), writes_rolled_back_.load(), reads_.load(),
                       reader_waits_.load(),       write_transactions_.load(), queued,
                       checkpoints};
}

}  // namespace opz::store
