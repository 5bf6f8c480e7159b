#include "store/sqlite_database.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "store/migrations.h"
#include "store/migrator.h"

namespace opz::store {

namespace {

std::shared_ptr<spdlog::logger> store_log() {
  auto log = spdlog::get("store");
  return log ? log : spdlog::default_logger();
}

// Rolls back after a failed or throwing body. A failed ROLLBACK leaves the
// connection in an unknown state, which is worth an error line: it cannot be
// reported to the caller, who is already getting the body's own error.
void roll_back(SqliteSession& session) {
  Status st = session.rollback();
  if (!st.ok()) store_log()->error("rollback failed: {}", st.error().to_string());
}

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
  SqliteSessionOptions session_options{options.path, options.synchronous_full,
                                       options.busy_timeout_ms, /*query_only=*/false};
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase());
  // The writer first: it creates the file and switches it to WAL.
  OPZ_TRY(db->writer_, SqliteSession::open(session_options));
  session_options.query_only = true;
  for (int i = 0; i < options.readers; ++i) {
    OPZ_TRY(std::unique_ptr<SqliteSession> reader, SqliteSession::open(session_options));
    db->free_readers_.push_back(reader.get());
    db->readers_.push_back(std::move(reader));
  }
  return db;
}

SqliteDatabase::~SqliteDatabase() { close(); }

void SqliteDatabase::close() {
  std::lock_guard writer_lock(writer_mu_);
  std::unique_lock pool_lock(pool_mu_);
  if (closed_) return;
  closed_ = true;
  pool_cv_.notify_all();  // readers waiting for a lease give up
  pool_cv_.wait(pool_lock, [&] { return free_readers_.size() == readers_.size(); });
  free_readers_.clear();
  readers_.clear();
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
  QueuedWrite me{&body, {}, nullptr, false};
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&me);
  queue_cv_.wait(lock, [&] { return me.done || !batch_running_; });
  if (!me.done) {
    // This caller runs the batch: itself and everyone queued behind it.
    batch_running_ = true;
    std::vector<QueuedWrite*> batch(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    {
      std::lock_guard writer_lock(writer_mu_);
      run_batch(batch);
    }
    lock.lock();
    for (QueuedWrite* w : batch) w->done = true;
    batch_running_ = false;
    queue_cv_.notify_all();
  }
  lock.unlock();
  if (me.thrown) std::rethrow_exception(me.thrown);
  return me.result;
}

void SqliteDatabase::run_batch(const std::vector<QueuedWrite*>& batch) {
  auto fail_all = [&](const Error& e) {
    for (QueuedWrite* w : batch) w->result = e;
    writes_rolled_back_ += batch.size();
  };
  if (closed_) return fail_all(Error::unavailable("database is closed"));
  SqliteSession& s = *writer_;
  if (Status st = s.begin(/*immediate=*/true); !st.ok()) return fail_all(st.error());
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
  return DatabaseStats{writes_committed_.load(), writes_rolled_back_.load(), reads_.load(),
                       reader_waits_.load(),       write_transactions_.load(), queued};
}

}  // namespace opz::store
