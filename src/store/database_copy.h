// copy_database(): moves a whole installation from SQLite to PostgreSQL
// (`opzenix db copy`, docs/postgres.md "Moving from SQLite").
//
// Contract:
//   * The source is read in ONE read transaction (a consistent snapshot); it
//     must be quiescent anyway (stop the server first: SQLite cannot tell
//     whether another process is about to write). Its applied migrations must
//     equal the target's after the target is migrated (else: run
//     `opzenix db migrate` on the source first).
//   * The target is migrated first, then must hold no user data: any row in
//     kUserDataTables refuses the copy naming the table and its count. Every
//     other row (the migrations' seeds, the default organization that
//     `db migrate` makes) is replaced by the source's rows.
//   * Everything happens in ONE target transaction: TRUNCATE, the copy, the
//     identity sequences moved past the copied ids, the checks. On any error
//     it rolls back and the target is as before.
//   * Tables: every base table of the target's public schema but
//     schema_migrations; columns: the target's (not generated) columns that
//     the source also has. A source table or column with no counterpart in
//     the target refuses the copy (it would be lost).
//   * Triggers do not fire (they would append realtime events and statistics):
//     `SET LOCAL session_replication_role = replica` (needs a superuser or the
//     replication role), else ALTER TABLE ... DISABLE TRIGGER USER per table,
//     enabled again before COMMIT. Tables go in foreign-key order (parents
//     first) either way.
//   * Source rows are read in keyset pages by rowid (memory stays bounded) and
//     sent as untyped text parameters cast to the column's type; SQLite's ISO
//     text times, 0/1 flags and JSON text are what PostgreSQL parses. A value
//     PostgreSQL refuses fails the copy naming the table, the column (when a
//     single value is at fault) and the row's id.
//   * Before COMMIT: each table's row count equals the source's, and
//     `verify_audit` (when given) accepts the target's audit chain as read
//     back from the target.
//
// Not thread-safe; one copy at a time per target.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/audit_store.h"
#include "store/database.h"

namespace opz::store {

// A table whose rows mean the target is already in use.
inline constexpr std::string_view kUserDataTables[] = {
    "projects", "profiles", "executions", "deployments", "audit_logs", "secret_references",
    "api_tokens", "webhook_deliveries", "realtime_events"};

enum class TriggerSuppression {
  kAuto,        // session_replication_role = replica, else ALTER TABLE per table
  kAlterTable,  // ALTER TABLE ... DISABLE TRIGGER USER only
};

struct TableCopied {
  std::string table;
  int64_t rows = 0;
};

struct CopyReport {
  std::vector<TableCopied> tables;  // in copy order
  int64_t audit_entries = 0;        // audit_logs rows the verifier accepted
  bool used_replica_role = false;   // false: triggers were disabled per table
};

struct CopyOptions {
  int page_rows = 5000;  // rows per source page
  TriggerSuppression triggers = TriggerSuppression::kAuto;
  // Called after each page: (table, rows copied so far, rows in the table).
  std::function<void(const std::string&, int64_t, int64_t)> progress;
  // Checks the target's audit chain (seq order) before COMMIT; an error
  // rolls the copy back and is returned as is.
  std::function<Status(const std::vector<AuditLogRecord>&)> verify_audit;
  // Test seam: called after each table is inserted, inside the transaction;
  // an error aborts the copy like any other.
  std::function<Status(const std::string&)> after_table;
};

// Copies `source` (SQLite) into `target` (PostgreSQL, migrated here).
Result<CopyReport> copy_database(Database& source, Database& target,
                                 const CopyOptions& options = {});

}  // namespace opz::store
