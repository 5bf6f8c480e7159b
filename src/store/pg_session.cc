#include "store/pg_session.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "store/sql_excerpt.h"

namespace opz::store {

namespace {

// Type OIDs of pg_type (stable since PostgreSQL 7; server headers are not
// installed with libpq).
constexpr Oid kBool = 16;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kText = 25;
constexpr Oid kOid = 26;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kTimestamp = 1114;
constexpr Oid kTimestampTz = 1184;
constexpr Oid kNumeric = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? v : "";
}

// "Key (org_id, slug)=(...) already exists." -> "org_id, slug" (never the values).
std::string key_columns(const std::string& detail) {
  const size_t open = detail.find("Key (");
  if (open == std::string::npos) return {};
  const size_t close = detail.find(")=", open);
  if (close == std::string::npos) return {};
  return detail.substr(open + 5, close - open - 5);
}

// "2026-12-05 19:18:14.5+00" -> "2026-12-05T19:18:14.500Z" (TimeZone=UTC).
std::string iso_time(std::string_view pg) {
  if (pg.size() < 19 || pg[10] != ' ') return std::string(pg);  // infinity, BC, ...
  std::string out(pg.substr(0, 19));
  out[10] = 'T';
  std::string frac;
  size_t i = 19;
  if (i < pg.size() && pg[i] == '.') {
    ++i;
    while (i < pg.size() && pg[i] >= '0' && pg[i] <= '9') frac.push_back(pg[i++]);
  }
  frac.resize(3, '0');
  return out + "." + frac + "Z";
}

SqlValue column_value(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return SqlValue();
  const char* text = PQgetvalue(r, row, col);
  const int len = PQgetlength(r, row, col);
  switch (PQftype(r, col)) {
    case kBool:
      return SqlValue(static_cast<int64_t>(text[0] == 't' ? 1 : 0));
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
      return SqlValue(static_cast<int64_t>(std::strtoll(text, nullptr, 10)));
    case kFloat4:
    case kFloat8:
      return SqlValue(std::strtod(text, nullptr));
    case kNumeric: {
      const std::string_view v(text, static_cast<size_t>(len));
      if (v.find_first_of(".eEN") == std::string_view::npos && len <= 18)
        return SqlValue(static_cast<int64_t>(std::strtoll(text, nullptr, 10)));
      return SqlValue(std::strtod(text, nullptr));
    }
    case kTimestamp:
    case kTimestampTz:
      return SqlValue(iso_time(std::string_view(text, static_cast<size_t>(len))));
    default:
      return SqlValue(std::string(text, static_cast<size_t>(len)));
  }
}

// The protocol's parameter count is 16 bits wide.
constexpr size_t kPgMaxParams = 65535;

// libpq (15 and earlier) reads a server message of more than 30,000 bytes
// only for a few message types; ParameterDescription ('t': 4 bytes per
// parameter), the answer to PQdescribePrepared, is not among them. For a
// statement of 7,499 or more parameters libpq declares "lost synchronization
// with server" and closes the connection (the server logs a reset by the
// client): the cause of db copy's lost connections at 12,000 parameters.
// Statements above this many parameters are therefore never described.
constexpr int kDescribeLimit = 7000;

// The highest "$N" in `sql` (0 when none): the statement's parameter count.
int highest_placeholder(std::string_view sql) {
  int highest = 0;
  for (size_t i = 0; i + 1 < sql.size(); ++i) {
    if (sql[i] != '$') continue;
    int n = 0;
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && n < 1000000)
      n = n * 10 + (sql[j++] - '0');
    highest = std::max(highest, n);
  }
  return highest;
}

// A parameter as the text PostgreSQL parses for an untyped literal.
std::string param_text(const SqlValue& v) {
  if (v.is_int()) return std::to_string(v.as_int());
  if (v.is_real()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v.as_real());
    return buf;
  }
  return v.as_text();
}

}  // namespace

namespace {

Error pg_error(const PGresult* r, pg_conn* conn, std::string_view sql, bool* retryable) {
  const std::string state = r ? field(r, PG_DIAG_SQLSTATE) : "";
  std::string message = r ? field(r, PG_DIAG_MESSAGE_PRIMARY) : "";
  if (message.empty()) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  // Data exceptions quote the value they refused ('invalid input syntax for
  // type json: "..."'): values never appear in messages.
  if (state.rfind("22", 0) == 0) {
    if (size_t quote = message.find(": \""); quote != std::string::npos) message.resize(quote);
  }
  *retryable = state == "40001" || state == "40P01";
  if (state == "23505") {
    std::string subject = key_columns(field(r, PG_DIAG_MESSAGE_DETAIL));
    const std::string table = field(r, PG_DIAG_TABLE_NAME);
    std::string named = subject;
    if (!table.empty() && !subject.empty()) named = table + "." + subject;
    return Error::conflict(
        "a row with the same " + (named.empty() ? "key" : named) + " already exists", subject);
  }
  if (state.rfind("23", 0) == 0) return Error::validation("constraint violated: " + message);
  if (*retryable) return Error::unavailable("database conflict, retry: " + message);
  if (state == "22001" || state == "54000") {
    return Error::too_large("value too large for the database: " + message);
  }
  // Any other data exception: a value that is not one of its column's type
  // (a time that is not a time, JSON that is not JSON) — the caller's value.
  if (state.rfind("22", 0) == 0) return Error::validation("invalid value: " + message);
  // A protocol violation (08P01: e.g. a Bind with another parameter count
  // than the statement's) is our bug; the connection stays usable.
  if (state == "08P01" && PQstatus(conn) == CONNECTION_OK)
    return Error::internal("postgres: " + message + " in: " + sql_excerpt(sql));
  if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03" ||
      PQstatus(conn) != CONNECTION_OK) {
    return Error::unavailable("database unavailable: " + message);
  }
  // Raised by our own triggers (RAISE EXCEPTION, P0001): the message is the rule.
  if (state == "P0001") return Error::validation(message);
  return Error::internal("postgres: " + message + " (SQLSTATE " + state +
                         ") in: " + sql_excerpt(sql));
}

}  // namespace

Result<std::unique_ptr<PgSession>> PgSession::open(const std::string& url) {
  pg_conn* conn = PQconnectdb(url.c_str());
  if (!conn) return Error::unavailable("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(conn);
    return Error::unavailable("cannot connect to PostgreSQL: " + why);
  }
  std::unique_ptr<PgSession> s(new PgSession(conn));
  OPZ_TRY_STATUS(s->exec_script(
      "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET client_min_messages = 'warning'; "
      "SET application_name = 'opzenix'"));
  return s;
}

PgSession::~PgSession() { PQfinish(conn_); }

bool PgSession::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

Result<std::string> PgSession::prepared(std::string_view sql, int* param_count) {
  const std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) {
    *param_count = it->second.params;
    return it->second.name;
  }
  const std::string name = "opz" + std::to_string(++next_statement_);
  // A failed PREPARE aborts the open transaction: inside one, it is tried
  // under a savepoint (once per statement text and connection).
  auto plain = [&](const char* cmd) { PgResult r(PQexec(conn_, cmd)); };
  if (in_transaction_) plain("SAVEPOINT opz_prepare");
  PgResult res(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    const std::string state = field(res.get(), PG_DIAG_SQLSTATE);
    if (in_transaction_) plain("ROLLBACK TO SAVEPOINT opz_prepare");
    // 42P18 indeterminate / 42P08 inconsistent parameter types: type them text.
    if (state != "42P18" && state != "42P08") {
      Error e = pg_error(res.get(), conn_, sql, &last_retryable_);
      if (in_transaction_) plain("RELEASE SAVEPOINT opz_prepare");
      return e;
    }
    std::vector<Oid> types(static_cast<size_t>(highest_placeholder(key)), kText);
    res.reset(
        PQprepare(conn_, name.c_str(), key.c_str(), static_cast<int>(types.size()), types.data()));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
      Error e = pg_error(res.get(), conn_, sql, &last_retryable_);
      if (in_transaction_) plain("ROLLBACK TO SAVEPOINT opz_prepare");
      if (in_transaction_) plain("RELEASE SAVEPOINT opz_prepare");
      return e;
    }
  }
  if (in_transaction_) plain("RELEASE SAVEPOINT opz_prepare");
  // The count from the server (exact: "$1" inside a literal is no parameter),
  // except for statements too large for libpq to read its answer: see
  // kDescribeLimit. Their count is the highest "$N"; the server checks it again.
  int params = highest_placeholder(key);
  if (params <= kDescribeLimit) {
    PgResult desc(PQdescribePrepared(conn_, name.c_str()));
    if (PQresultStatus(desc.get()) != PGRES_COMMAND_OK)
      return pg_error(desc.get(), conn_, sql, &last_retryable_);
    params = PQnparams(desc.get());
  }
  statements_.emplace(key, Prepared{name, params});
  *param_count = params;
  return name;
}

Result<Rows> PgSession::run(std::string_view sql, const Params& params, int64_t* changed) {
  last_retryable_ = false;
  if (params.size() > kPgMaxParams) {
    return Error::too_large(
        "a statement carries at most 65535 parameters (the protocol's "
        "limit); this one has " +
        std::to_string(params.size()) + " in: " + sql_excerpt(sql));
  }
  int expected = 0;
  OPZ_TRY(std::string name, prepared(sql, &expected));
  if (static_cast<int>(params.size()) != expected) {
    return Error::internal("statement uses " + std::to_string(expected) + " parameters but " +
                           std::to_string(params.size()) + " were given in: " + sql_excerpt(sql));
  }
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].is_null()) continue;
    texts[i] = param_text(params[i]);
    values[i] = texts[i].c_str();
  }
  PgResult res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(),
                              nullptr, nullptr, 0));
  const ExecStatusType status = PQresultStatus(res.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return pg_error(res.get(), conn_, sql, &last_retryable_);
  }
  if (changed) {
    const char* n = PQcmdTuples(res.get());
    *changed = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
  }
  Rows out;
  const int cols = PQnfields(res.get());
  const int rows = PQntuples(res.get());
  out.columns.reserve(static_cast<size_t>(cols));
  for (int c = 0; c < cols; ++c) out.columns.emplace_back(PQfname(res.get(), c));
  out.rows.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<SqlValue> values_out;
    values_out.reserve(static_cast<size_t>(cols));
    for (int c = 0; c < cols; ++c) values_out.push_back(column_value(res.get(), r, c));
    out.rows.emplace_back(&out.columns, std::move(values_out));
  }
  return out;
}

Result<Rows> PgSession::query(std::string_view sql, const Params& params) {
  return run(sql, params, nullptr);
}

Result<int64_t> PgSession::exec(std::string_view sql, const Params& params) {
  int64_t changed = 0;
  OPZ_TRY(Rows ignored, run(sql, params, &changed));
  (void)ignored;
  return changed;
}

Status PgSession::exec_script(std::string_view sql) {
  last_retryable_ = false;
  const std::string text(sql);
  if (!PQsendQuery(conn_, text.c_str())) return pg_error(nullptr, conn_, sql, &last_retryable_);
  // Every statement of the script answers a result; the first failure wins.
  std::optional<Error> failed;
  while (PGresult* raw = PQgetResult(conn_)) {
    PgResult res(raw);
    const ExecStatusType st = PQresultStatus(res.get());
    if (!failed && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
      failed = pg_error(res.get(), conn_, sql, &last_retryable_);
  }
  if (failed) return *failed;
  return {};
}

Status PgSession::begin(bool write) {
  if (in_transaction_) return Error::internal("a transaction is already open on this session");
  OPZ_TRY_STATUS(exec_script(write ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                   : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  in_transaction_ = true;
  return {};
}

Status PgSession::commit(bool announce) {
  in_transaction_ = false;
  // One round trip: the notification is sent only if the COMMIT succeeds.
  PgResult res(PQexec(conn_, announce ? "NOTIFY opz_commits; COMMIT" : "COMMIT"));
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
    return pg_error(res.get(), conn_, "COMMIT", &last_retryable_);
  // COMMIT of an aborted transaction answers "ROLLBACK", not an error.
  if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK")
    return Error::unavailable("the transaction was rolled back by PostgreSQL before COMMIT");
  return {};
}

Status PgSession::rollback() {
  in_transaction_ = false;
  PgResult res(PQexec(conn_, "ROLLBACK"));
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    bool ignored = false;
    return pg_error(res.get(), conn_, "ROLLBACK", &ignored);
  }
  return {};
}

}  // namespace opz::store
