#include "store/sqlite_session.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <string>
#include <thread>

#include "store/sql_excerpt.h"

namespace opz::store {

namespace {

// "UNIQUE constraint failed: profiles.email" -> "profiles.email".
std::string constraint_subject(const std::string& message) {
  const auto colon = message.find(": ");
  return colon == std::string::npos ? std::string() : message.substr(colon + 2);
}

Error sqlite_error(sqlite3* db, int rc, std::string_view sql) {
  int code = db ? sqlite3_extended_errcode(db) : rc;
  if (code == SQLITE_OK) code = rc;
  const std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
      std::string subject = constraint_subject(message);
      return Error::conflict(
          "a row with the same " + (subject.empty() ? "key" : subject) + " already exists",
          subject);
    }
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Error::validation("constraint violated: " + message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error::unavailable("database is busy: " + message + " in: " + sql_excerpt(sql));
    case SQLITE_TOOBIG:
      return Error::too_large("value too large for the database: " + message);
    default:
      return Error::internal("sqlite: " + message + " (" + sqlite3_errstr(code) + ", code " +
                             std::to_string(code) + ") in: " + sql_excerpt(sql));
  }
}

bool is_blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != ';') return false;
  }
  return true;
}

// Parses "$N" (N >= 1, no leading zero); 0 when the name is anything else.
int dollar_number(const char* name) {
  if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9') return 0;
  long n = 0;
  for (const char* p = name + 1; *p; ++p) {
    if (*p < '0' || *p > '9') return 0;
    n = n * 10 + (*p - '0');
    if (n > 32766) return 0;  // SQLITE_MAX_VARIABLE_NUMBER default
  }
  return static_cast<int>(n);
}

// Resets a statement and clears its bindings on every exit path.
struct StatementReset {
  sqlite3_stmt* stmt;
  ~StatementReset() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

SqlValue column_value(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return SqlValue(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
    case SQLITE_FLOAT:
      return SqlValue(sqlite3_column_double(stmt, i));
    case SQLITE_TEXT: {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return SqlValue(std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      const auto n = static_cast<size_t>(sqlite3_column_bytes(stmt, i));
      return SqlValue(p ? std::string(p, n) : std::string());
    }
    default:
      return SqlValue();
  }
}

}  // namespace

Result<std::unique_ptr<SqliteSession>> SqliteSession::open(const SqliteSessionOptions& options) {
  if (options.path.empty() || options.path == ":memory:" ||
      options.path.rfind("file::memory:", 0) == 0) {
    return Error::validation("database path must name a file (got '" + options.path + "')", "path");
  }
  sqlite3* db = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error::unavailable("cannot open database '" + options.path + "': " + why);
  }
  std::unique_ptr<SqliteSession> session(new SqliteSession(db));
  OPZ_TRY_STATUS(session->configure(options));
  return session;
}

SqliteSession::~SqliteSession() {
  clear_cache();
  for (sqlite3_stmt* stmt : control_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

// SQLite answers SQLITE_BUSY to "PRAGMA journal_mode=WAL" *without* calling
// the busy handler when another connection switches the same fresh file at
// the same moment (the pragma already holds a read lock, and waiting could
// deadlock). Two processes starting together hit this, so the switch is
// retried here, within the same busy timeout the handler would have used.
Result<Rows> SqliteSession::switch_to_wal(int busy_timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    Result<Rows> mode = query("PRAGMA journal_mode=WAL");
    if (mode.ok() || mode.error().code != ErrorCode::kUnavailable ||
        std::chrono::steady_clock::now() + pause > deadline) {
      return mode;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

Status SqliteSession::configure(const SqliteSessionOptions& options) {
  sqlite3_extended_result_codes(db_, 1);
  // The busy handler comes first: switching to WAL takes a lock that another
  // process opening the same file may hold for a moment.
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  OPZ_TRY(Rows mode, switch_to_wal(options.busy_timeout_ms));
  if (mode.empty() || mode[0][0].as_text() != "wal") {
    return Error::internal("database '" + options.path + "' refused WAL mode (journal_mode=" +
                           (mode.empty() ? std::string("?") : mode[0][0].as_text()) + ")");
  }
  OPZ_TRY_STATUS(exec_plain(options.synchronous_full ? "PRAGMA synchronous=FULL"
                                                     : "PRAGMA synchronous=NORMAL"));
  OPZ_TRY_STATUS(exec_plain("PRAGMA foreign_keys=ON"));
  OPZ_TRY_STATUS(exec_plain("PRAGMA temp_store=MEMORY"));
  if (options.cache_bytes > 0) {  // a negative cache_size is KiB
    const std::string cache = "PRAGMA cache_size=-" + std::to_string(options.cache_bytes / 1024);
    OPZ_TRY_STATUS(exec_plain(cache.c_str()));
  }
  if (options.query_only) OPZ_TRY_STATUS(exec_plain("PRAGMA query_only=ON"));
  clear_cache();  // set-up statements are not worth keeping
  stats_ = {};
  return {};
}

Result<SqliteSession::Cached*> SqliteSession::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    ++stats_.cache_hits;
    return &it->second;
  }
  if (sql.size() > static_cast<size_t>(INT_MAX)) return Error::too_large("SQL text too large");
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
  if (!stmt) return Error::internal("empty SQL statement");
  std::string_view rest = sql.substr(static_cast<size_t>(tail - sql.data()));
  if (!is_blank(rest)) {
    // Only comments may follow; a second statement belongs in exec_script().
    sqlite3_stmt* extra = nullptr;
    rc = sqlite3_prepare_v2(db_, rest.data(), static_cast<int>(rest.size()), &extra, nullptr);
    const bool second = rc != SQLITE_OK || extra != nullptr;
    sqlite3_finalize(extra);
    if (second) {
      sqlite3_finalize(stmt);
      return Error::internal("query()/exec() take one statement (use exec_script) in: " +
                             sql_excerpt(sql));
    }
  }
  Cached c;
  c.stmt = stmt;
  const int slots = sqlite3_bind_parameter_count(stmt);
  c.slot_param.resize(static_cast<size_t>(slots));
  for (int j = 1; j <= slots; ++j) {
    const char* name = sqlite3_bind_parameter_name(stmt, j);
    const int n = dollar_number(name);
    if (n == 0) {
      std::string bad = name ? name : "?";  // the name dies with the statement
      sqlite3_finalize(stmt);
      return Error::internal("unsupported parameter '" + bad +
                             "' (use $1, $2, ...) in: " + sql_excerpt(sql));
    }
    c.slot_param[static_cast<size_t>(j - 1)] = n - 1;
  }
  if (cache_.size() >= kStatementCacheCapacity) clear_cache();
  ++stats_.prepares;
  auto [it, inserted] = cache_.emplace(std::string(sql), c);
  (void)inserted;
  return &it->second;
}

Status SqliteSession::bind(const Cached& c, std::string_view sql, const Params& params) {
  // Names are unique per slot, so "every slot's $N is within params" plus
  // "as many slots as params" means each param is used at least once.
  std::vector<bool> used(params.size(), false);
  for (size_t slot = 0; slot < c.slot_param.size(); ++slot) {
    const auto p = static_cast<size_t>(c.slot_param[slot]);
    if (p >= params.size()) {
      return Error::internal("statement uses $" + std::to_string(p + 1) + " but only " +
                             std::to_string(params.size()) +
                             " params were given in: " + sql_excerpt(sql));
    }
    used[p] = true;
    const SqlValue& v = params[p];
    const int j = static_cast<int>(slot + 1);
    int rc = SQLITE_OK;
    if (v.is_null()) {
      rc = sqlite3_bind_null(c.stmt, j);
    } else if (v.is_int()) {
      rc = sqlite3_bind_int64(c.stmt, j, v.as_int());
    } else if (v.is_real()) {
      rc = sqlite3_bind_double(c.stmt, j, v.as_real());
    } else {
      // A text parameter is bound in place (STATIC): `params` outlives the
      // statement's use, since run() resets the statement and clears its
      // bindings before it returns (StatementReset). No copy of a webhook's
      // body or headers is made. A value converted to text here dies with
      // this iteration, so SQLite copies that one (TRANSIENT).
      if (const std::string* text = v.text_if()) {
        rc = sqlite3_bind_text64(c.stmt, j, text->data(), text->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
      } else {
        const std::string converted = v.as_text();
        rc = sqlite3_bind_text64(c.stmt, j, converted.data(), converted.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8);
      }
    }
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
  }
  for (size_t p = 0; p < used.size(); ++p) {
    if (!used[p]) {
      return Error::internal("param $" + std::to_string(p + 1) +
                             " is not used by the statement in: " + sql_excerpt(sql));
    }
  }
  return {};
}

Status SqliteSession::run(std::string_view sql, const Params& params, Rows* out, int64_t* changes) {
  OPZ_TRY(Cached * c, prepare(sql));
  StatementReset reset{c->stmt};
  OPZ_TRY_STATUS(bind(*c, sql, params));
  const int columns = out ? sqlite3_column_count(c->stmt) : 0;
  if (out) {
    out->columns.clear();
    out->rows.clear();
    for (int i = 0; i < columns; ++i) {
      const char* name = sqlite3_column_name(c->stmt, i);
      out->columns.emplace_back(name ? name : "");
    }
  }
  for (;;) {
    const int rc = sqlite3_step(c->stmt);
    if (rc == SQLITE_DONE) {
      if (changes) {
        *changes =
            sqlite3_stmt_readonly(c->stmt) ? 0 : static_cast<int64_t>(sqlite3_changes64(db_));
      }
      return {};
    }
    if (rc != SQLITE_ROW) return sqlite_error(db_, rc, sql);
    if (!out) continue;
    std::vector<SqlValue> values;
    values.reserve(static_cast<size_t>(columns));
    for (int i = 0; i < columns; ++i) values.push_back(column_value(c->stmt, i));
    out->rows.emplace_back(&out->columns, std::move(values));
  }
}

Result<Rows> SqliteSession::query(std::string_view sql, const Params& params) {
  Rows rows;
  OPZ_TRY_STATUS(run(sql, params, &rows, nullptr));
  return rows;
}

Result<int64_t> SqliteSession::exec(std::string_view sql, const Params& params) {
  int64_t changes = 0;
  OPZ_TRY_STATUS(run(sql, params, nullptr, &changes));
  return changes;
}

Status SqliteSession::exec_script(std::string_view sql) {
  std::string_view rest = sql;
  while (!is_blank(rest)) {
    if (rest.size() > static_cast<size_t>(INT_MAX)) return Error::too_large("SQL script too large");
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_, rest.data(), static_cast<int>(rest.size()), &stmt, &tail);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, rest);
    const auto consumed = static_cast<size_t>(tail - rest.data());
    if (stmt) {
      int step = SQLITE_ROW;
      while (step == SQLITE_ROW) step = sqlite3_step(stmt);
      if (step != SQLITE_DONE) {
        Error e = sqlite_error(db_, step, rest);
        sqlite3_finalize(stmt);
        return e;
      }
      sqlite3_finalize(stmt);
    }
    if (consumed == 0) break;  // only comments were left
    rest.remove_prefix(consumed);
  }
  return {};
}

Status SqliteSession::exec_plain(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
  return {};
}

bool SqliteSession::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Status SqliteSession::begin(bool immediate) {
  if (in_transaction()) return Error::internal("a transaction is already open on this session");
  return exec_control(immediate ? kBeginImmediate : kBegin);
}

Status SqliteSession::commit() {
  if (!in_transaction()) {
    return Error::internal("the transaction was rolled back by SQLite before COMMIT");
  }
  Status st = exec_control(kCommit);
  if (!st.ok() && in_transaction()) (void)rollback();
  return st;
}

Status SqliteSession::rollback() {
  if (!in_transaction()) return {};
  return exec_control(kRollback);
}

Status SqliteSession::savepoint() { return exec_control(kSavepoint); }
Status SqliteSession::release_savepoint() { return exec_control(kRelease); }
Status SqliteSession::rollback_to_savepoint() {
  OPZ_TRY_STATUS(exec_control(kRollbackTo));
  return exec_control(kRelease);
}

Status SqliteSession::exec_control(Control which) {
  static constexpr std::array<const char*, kControlCount> kSql = {
      "BEGIN",         "BEGIN IMMEDIATE",     "COMMIT",
      "ROLLBACK",      "SAVEPOINT batched",   "RELEASE batched",
      "ROLLBACK TO batched"};
  sqlite3_stmt*& stmt = control_[which];
  if (stmt == nullptr) {
    const int rc = sqlite3_prepare_v3(db_, kSql[which], -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                                      nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, kSql[which]);
  }
  const int rc = sqlite3_step(stmt);
  Status st = rc == SQLITE_DONE ? Status{} : Status(sqlite_error(db_, rc, kSql[which]));
  sqlite3_reset(stmt);
  return st;
}

void SqliteSession::clear_cache() {
  for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
  cache_.clear();
}

}  // namespace opz::store
