#include "store/pg_database.h"

#include <spdlog/spdlog.h>

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <optional>

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
  closing_ = true;
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
  slot.reset();
  if (!outage_.may_attempt()) {
    return Error::unavailable("no PostgreSQL primary reachable (reconnecting)");
  }
  Result<std::unique_ptr<PgSession>> opened = PgSession::open(options_.url);
  if (!opened.ok()) {
    if (outage_.failed()) {
      store_log()->warn("PostgreSQL unavailable, reconnecting with back-off: {}",
                        opened.error().message);
    }
    return opened.error();
  }
  slot = std::move(opened).value();
  if (std::optional<Millis> length = outage_.recovered()) {
    store_log()->warn("PostgreSQL reachable again after {:.1f} s",
                      static_cast<double>(length->count()) / 1000.0);
  }
  return {};
}

Status PgDatabase::wait_for_connection(std::unique_ptr<PgSession>& slot, TimePoint deadline) {
  for (;;) {
    Status st = ensure_connected(slot);
    if (st.ok() || closing_.load()) return st;
    const TimePoint now = SystemClock::instance().now();
    if (now >= deadline) return st;
    const auto wait = std::min<std::chrono::nanoseconds>(
        std::max(outage_.wait_before_attempt(), Millis{10}), deadline - now);
    std::this_thread::sleep_for(wait);
  }
}

void PgDatabase::connection_lost(std::unique_ptr<PgSession>& slot) {
  // Reconnected at once; an outage starts only when that fails.
  slot.reset();
  store_log()->debug("PostgreSQL connection lost; reconnecting");
}

Result<bool> PgDatabase::committed_after_all(const std::string& xid, TimePoint deadline) {
  // An id at or past the server's next id was never assigned there: the
  // commit did not reach this (promoted) server, so it did not happen.
  static constexpr std::string_view kStatus =
      "SELECT CASE WHEN $1::xid8 >= pg_snapshot_xmax(pg_current_snapshot()) THEN 'unassigned' "
      "ELSE pg_xact_status($1::xid8) END AS status";
  for (;;) {
    OPZ_TRY_STATUS(wait_for_connection(writer_, deadline));
    Result<Rows> rows = writer_->query(kStatus, {xid});
    if (!rows.ok()) {
      if (writer_->healthy()) return rows.error();
      connection_lost(writer_);
      continue;
    }
    const SqlValue status = (*rows)[0]["status"];
    if (status.is_null()) break;  // too old to know
    if (status.as_text() == "committed") return true;
    if (status.as_text() == "aborted" || status.as_text() == "unassigned") return false;
    // "in progress": the old primary still finishing it; ask again shortly.
    if (SystemClock::instance().now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Error::unavailable("the database connection broke during COMMIT and the outcome is unknown");
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
  const TimePoint deadline = SystemClock::instance().now() + kOutageWait;
  int conflicts = 0;
  for (;;) {
    // Bounded even when every new connection breaks again.
    if (SystemClock::instance().now() >= deadline) {
      return Error::unavailable("no usable PostgreSQL connection for the write");
    }
    OPZ_TRY_STATUS(wait_for_connection(writer_, deadline));
    PgSession& s = *writer_;
    Status st = s.begin(/*write=*/true);
    if (!st.ok() && !s.healthy()) {
      connection_lost(writer_);
      continue;
    }
    OPZ_TRY_STATUS(st);
    writer_thread_.store(std::this_thread::get_id());
    try {
      st = body(s);
    } catch (...) {
      writer_thread_.store(std::thread::id());
      roll_back(s);
      throw;
    }
    writer_thread_.store(std::thread::id());
    // Before COMMIT was sent, a broken connection means the server rolled
    // the transaction back: the body runs again on the new primary.
    if (!s.healthy()) {
      connection_lost(writer_);
      store_log()->info("a write lost its connection before COMMIT (rolled back): run again");
      continue;
    }
    bool retry = false;
    if (!st.ok()) {
      retry = s.last_error_retryable();
      roll_back(s);
      if (!retry) return st;
    } else {
      // The transaction's id (none when it wrote nothing), to learn its
      // outcome should COMMIT's answer be lost.
      Result<Rows> id = s.query("SELECT pg_current_xact_id_if_assigned()::text AS xid");
      if (!id.ok()) {
        if (!s.healthy()) {
          connection_lost(writer_);
          continue;
        }
        roll_back(s);
        return id.error();
      }
      const SqlValue xid = (*id)[0]["xid"];
      st = s.commit(/*announce=*/true);
      if (st.ok()) {
        ++writes_committed_;
        return st;
      }
      if (!s.healthy()) {
        connection_lost(writer_);
        if (xid.is_null()) return {};  // it wrote nothing: nothing to lose or double
        OPZ_TRY(bool committed, committed_after_all(xid.as_text(), deadline));
        store_log()->info("a write lost COMMIT's answer; the primary says transaction {} {}",
                          xid.as_text(), committed ? "committed: done" : "did not commit: run again");
        if (committed) {
          ++writes_committed_;
          return {};
        }
        continue;  // surely not committed: run it again
      }
      retry = s.last_error_retryable();
      if (!retry) return st;
    }
    if (++conflicts >= kWriteAttempts) return st;
    // Another server's transaction won: back off a little and run again.
    std::this_thread::sleep_for(std::chrono::milliseconds(conflicts * 5));
  }
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
        // A slot whose connection broke goes back empty: the next read reopens it.
        db->free_readers_.push_back(std::move(reader));
      }
      db->pool_cv_.notify_all();
    }
  } lease{this, reader};
  // A pooled connection that went stale (the primary it reached is gone)
  // fails at BEGIN, before the body ran: reopened once, then the read goes on.
  Status began;
  for (int attempt = 0; attempt < 2; ++attempt) {
    OPZ_TRY_STATUS(ensure_connected(reader));
    began = reader->begin(/*write=*/false);
    if (began.ok() || reader->healthy()) break;
    connection_lost(reader);
  }
  OPZ_TRY_STATUS(began);
  Status st;
  try {
    st = body(*reader);
  } catch (...) {
    roll_back(*reader);
    throw;
  }
  if (!reader->healthy()) {
    connection_lost(reader);
    return st.ok() ? Error::unavailable("the database connection broke during a read") : st;
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
          if (!failing_) store_log()->warn("LISTEN {}: cannot connect to PostgreSQL; retrying", channel_);
          failing_ = true;
          for (int i = 0; i < 8 && !stop_; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
          continue;
        }
        if (failing_) store_log()->info("LISTEN {}: connected again", channel_);
        failing_ = false;
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
  bool failing_ = false;  // logged once per outage
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
