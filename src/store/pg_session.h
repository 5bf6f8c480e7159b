// PgSession: one PostgreSQL connection (libpq) seen through the SqlSession seam.
//
// Contract (the same repository SQL runs here and on SqliteSession):
//   * Parameters "$1".."$N" are sent as untyped text literals, so PostgreSQL
//     infers each one's type from its context, exactly as it would for a quoted
//     literal: "1" becomes a boolean, a bigint or text as the column needs, an
//     ISO-8601 time becomes a timestamptz. A statement whose parameter type
//     cannot be inferred ("$1 IS NULL") is prepared again with every parameter
//     typed text. Extra params beyond the statement's highest "$N" are an
//     internal error, as on SQLite.
//   * Results come back in SQLite's shapes (sql.h's dialect contract):
//     integer types -> int; float/numeric -> real (a numeric without a
//     fraction -> int); boolean -> int 0/1; timestamptz/timestamp -> the ISO
//     text of core/time_format.h ("YYYY-MM-DDTHH:MM:SS.mmmZ"); json, uuid and
//     everything else -> text. The session runs with TimeZone=UTC.
//   * Statements are prepared once per connection, keyed by SQL text. Up to
//     65,535 parameters (the protocol's limit; more is kTooLarge); a
//     statement of more than 7,000 is not described (libpq cannot read the
//     answer: pg_session.cc, kDescribeLimit).
//   * Errors: unique violations -> kConflict naming the key's columns; other
//     integrity violations and data exceptions (a value not of its column's
//     type) -> kValidation; serialization failures and
//     deadlocks -> kUnavailable with retryable() true; a lost connection ->
//     kUnavailable; value too long -> kTooLarge; anything else -> kInternal
//     with the SQLSTATE and the SQL's first 80 characters. Parameter values
//     never appear in messages.
//
// Thread-safety: none; one thread at a time (the Database serializes access).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "store/sql.h"

struct pg_conn;

namespace opz::store {

class PgSession final : public SqlSession {
 public:
  // Connects with a libpq URL or keyword string ("postgresql://u@h:p/db").
  static Result<std::unique_ptr<PgSession>> open(const std::string& url);
  ~PgSession() override;
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  Result<Rows> query(std::string_view sql, const Params& params = {}) override;
  Result<int64_t> exec(std::string_view sql, const Params& params = {}) override;
  Status exec_script(std::string_view sql) override;
  std::string_view dialect() const override { return "postgres"; }

  // Transaction control for the Database. A write transaction is SERIALIZABLE
  // (the single-writer semantics SQLite gives, across servers too); a read is
  // a REPEATABLE READ READ ONLY snapshot.
  Status begin(bool write);
  // `announce`: also NOTIFY opz_commits, delivered to every listener at commit
  // (how other servers learn that cached answers may be stale).
  Status commit(bool announce = false);
  Status rollback();
  bool in_transaction() const { return in_transaction_; }
  // False once the server closed the connection; the Database reconnects.
  bool healthy() const;

  // The last error was a serialization failure or deadlock: the whole
  // transaction may be retried.
  bool last_error_retryable() const { return last_retryable_; }

 private:
  explicit PgSession(pg_conn* conn) : conn_(conn) {}
  Result<std::string> prepared(std::string_view sql, int* param_count);
  Result<Rows> run(std::string_view sql, const Params& params, int64_t* changed);

  pg_conn* conn_;
  struct Prepared {
    std::string name;
    int params = 0;
  };
  std::unordered_map<std::string, Prepared> statements_;
  uint64_t next_statement_ = 0;
  bool in_transaction_ = false;
  bool last_retryable_ = false;
};

}  // namespace opz::store
