#include "store/pg_database.h"

#include <spdlog/spdlog.h>

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>

#include "core/clock.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "store/store_log.h"

namespace opz::store {

namespace {

void roll_back(PgSession& s) { log_failed_rollback(s.rollback()); }

}  // namespace

Result<std::unique_ptr<Database>> Database::open_postgres(const PostgresOptions& options) {
  OPZ_TRY(std::unique_ptr<PgDatabase> db, PgDatabase::open(options));
  return std::unique_ptr<Database>(std::move(db));
}

Result<std::unique_ptr<PgDatabase>> PgDatabase::open(const PostgresOptions& options) {
  if (options.readers < 1) return Error::validation("readers must be >= 1", "readers");
  std::unique_ptr<PgDatabase> db(new PgDatabase(options));
  OPZ_TRY(db->writer_, PgSession::open(options.url));
  for (int i = 0; i < options.readers; ++i) {
    OPZ_TRY(std::unique_ptr<PgSession> reader, PgSession::open(options.url));
    db->free_readers_.push_back(std::move(reader));
  }
  db->committer_ = std::thread([d = db.get()] { d->committer_loop(); });
  // Another server's commit makes cached answers stale here too:
  // committed_writes() counts those as well (our own arrive too: harmless).
  db->commits_feed_ = db->listen("opz_commits", [d = db.get()] { ++d->remote_commits_; });
  return db;
}

PgDatabase::~PgDatabase() { close(); }

void PgDatabase::close() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (committer_.joinable() && committer_.get_id() != std::this_thread::get_id()) committer_.join();
  commits_feed_.reset();
  std::lock_guard writer_lock(writer_mu_);
  std::unique_lock pool_lock(pool_mu_);
  if (closed_) return;
  closed_ = true;
  pool_cv_.notify_all();
  pool_cv_.wait(pool_lock, [&] { return readers_out_ == 0; });
  free_readers_.clear();
  writer_.reset();
}

Status PgDatabase::ensure_connected(std::unique_ptr<PgSession>& slot) {
  if (slot && slot->healthy()) return {};
  store_log()->warn("reconnecting to PostgreSQL");
  OPZ_TRY(slot, PgSession::open(options_.url));
  return {};
}

Status PgDatabase::run_transaction(bool write, const std::function<Status(SqlSession&)>& body) {
  return write ? run_write(body) : run_read(body);
}

Status PgDatabase::run_write(const std::function<Status(SqlSession&)>& body) {
  if (writer_thread_.load() == std::this_thread::get_id()) {
    return Error::internal(
        "write() called inside a write body (nested write transactions are not supported)");
  }
  std::lock_guard lock(writer_mu_);
  if (closed_) return Error::unavailable("database is closed");
  Status last;
  for (int attempt = 1; attempt <= kWriteAttempts; ++attempt) {
    OPZ_TRY_STATUS(ensure_connected(writer_));
    PgSession& s = *writer_;
    OPZ_TRY_STATUS(s.begin(/*write=*/true));
    Status st;
    writer_thread_.store(std::this_thread::get_id());
    try {
      st = body(s);
    } catch (...) {
      writer_thread_.store(std::thread::id());
      roll_back(s);
      throw;
    }
    writer_thread_.store(std::thread::id());
    bool retry = false;
    if (!st.ok()) {
      retry = s.last_error_retryable();
      roll_back(s);
      if (!retry) return st;
    } else {
      st = s.commit(/*announce=*/true);
      if (st.ok()) {
        ++writes_committed_;
        return st;
      }
      retry = s.last_error_retryable();
      if (!retry) return st;
    }
    last = st;
    // Another server's transaction won: back off a little and run again.
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt * 5));
  }
  return last;
}

void PgDatabase::write_async(std::function<Status(SqlSession&)> body,
                             std::function<void(Status)> done) {
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.emplace_back(std::move(body), std::move(done));
      queue_cv_.notify_one();
      return;
    }
  }
  done(Error::unavailable("database is closed"));
}

void PgDatabase::committer_loop() {
  std::unique_lock lock(queue_mu_);
  for (;;) {
    queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued has run
    auto [body, done] = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    Status st;
    try {
      st = run_write(body);
    } catch (const std::exception& e) {
      st = Error::internal(std::string("write body threw: ") + e.what());
    } catch (...) {
      st = Error::internal("write body threw");
    }
    done(std::move(st));
    lock.lock();
  }
}

Status PgDatabase::run_read(const std::function<Status(SqlSession&)>& body) {
  std::unique_ptr<PgSession> reader;
  {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return closed_ || !free_readers_.empty(); });
    if (closed_) return Error::unavailable("database is closed");
    reader = std::move(free_readers_.back());
    free_readers_.pop_back();
    ++readers_out_;
  }
  struct Lease {
    PgDatabase* db;
    std::unique_ptr<PgSession>& reader;
    ~Lease() {
      {
        std::lock_guard lock(db->pool_mu_);
        --db->readers_out_;
        if (reader) db->free_readers_.push_back(std::move(reader));
      }
      db->pool_cv_.notify_all();
    }
  } lease{this, reader};
  OPZ_TRY_STATUS(ensure_connected(reader));
  OPZ_TRY_STATUS(reader->begin(/*write=*/false));
  Status st;
  try {
    st = body(*reader);
  } catch (...) {
    roll_back(*reader);
    throw;
  }
  if (!st.ok()) {
    roll_back(*reader);
    return st;
  }
  return reader->commit();
}

namespace {

// LISTEN on its own connection; a thread waits on the socket (waking every
// 250 ms to see whether it must stop) and calls on_notify per batch.
class PgListening final : public Database::Listening {
 public:
  PgListening(std::string url, std::string channel, std::function<void()> on_notify)
      : url_(std::move(url)), channel_(std::move(channel)), on_notify_(std::move(on_notify)) {
    thread_ = std::thread([this] { loop(); });
  }
  ~PgListening() override {
    stop_ = true;
    thread_.join();
    if (conn_) PQfinish(conn_);
  }

 private:
  bool connect() {
    if (conn_) PQfinish(conn_);
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    char* quoted = PQescapeIdentifier(conn_, channel_.c_str(), channel_.size());
    if (!quoted) return false;
    const std::string sql = std::string("LISTEN ") + quoted;
    PQfreemem(quoted);
    PGresult* r = PQexec(conn_, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
  }

  void loop() {
    bool connected = false;
    while (!stop_) {
      if (!connected) {
        connected = connect();
        if (!connected) {
          store_log()->warn("LISTEN {}: cannot connect to PostgreSQL; retrying", channel_);
          for (int i = 0; i < 8 && !stop_; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
          continue;
        }
        on_notify_();  // whatever happened while not listening
      }
      pollfd pfd{PQsocket(conn_), POLLIN, 0};
      if (::poll(&pfd, 1, 250) < 0) continue;
      if (!PQconsumeInput(conn_)) {
        connected = false;
        continue;
      }
      bool any = false;
      while (PGnotify* n = PQnotifies(conn_)) {
        any = true;
        PQfreemem(n);
      }
      if (any) on_notify_();
    }
  }

  std::string url_;
  std::string channel_;
  std::function<void()> on_notify_;
  pg_conn* conn_ = nullptr;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Database::Listening> PgDatabase::listen(const std::string& channel,
                                                        std::function<void()> on_notify) {
  return std::make_unique<PgListening>(options_.url, channel, std::move(on_notify));
}

Result<std::vector<std::string>> PgDatabase::migrate() {
  return Migrator(*this, embedded_migrations("postgres"), SystemClock::instance()).apply();
}

Result<std::vector<std::string>> PgDatabase::applied_migrations() {
  return Migrator(*this, embedded_migrations("postgres"), SystemClock::instance()).applied();
}

bool PgDatabase::ready() {
  Result<bool> up =
      Migrator(*this, embedded_migrations("postgres"), SystemClock::instance()).up_to_date();
  return up.ok() && *up;
}

}  // namespace opz::store
