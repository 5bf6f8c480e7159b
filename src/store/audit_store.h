// AuditStore: the rows of audit_logs, a hash chain (docs/audit.md).
//
// Contract:
//   - append_in() writes one row inside the caller's write transaction: it
//     reads the chain's tail (the row with the highest seq, one index seek)
//     in that same transaction and stores seq = tail.seq + 1,
//     prev_hash = tail.hash (kGenesisHash for the first row) and
//     hash = audit_row_hash(prev_hash, row). Every write goes through the
//     one writer connection (Database::write) and BEGIN IMMEDIATE serialises
//     other processes, so two appends never read the same tail; the UNIQUE
//     index on seq refuses a fork anyway. Nothing is cached between
//     transactions, so a body or savepoint that rolls back leaves nothing
//     stale behind.
//   - Rows written before migration 004 have a seq but no hash. The first
//     append that finds no hashed row at all chains them (seq order) before
//     its own row, in its transaction. A chain that has started is never
//     re-hashed: a row without hash after that is reported by verify.
//   - list() is newest first by (created_at, id) with the keyset pagination
//     of store/page.h; chain() and read_chain_file() are in seq order.
// Thread-safe (all state is in the database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

// prev_hash of the first row.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditLogRecord {
  int64_t seq = 0;  // 0: not in the chain (NULL)
  std::string id = {};
  std::string action = {};
  std::string resource_type = {};
  std::string resource_id = {};  // "" is stored as NULL
  std::string user_id = {};      // "" is stored as NULL
  std::string details = "{}";  // JSON text
  std::string ip_address = {};   // "" is stored as NULL
  std::string user_agent = {};   // "" is stored as NULL
  std::string created_at = {};
  std::string prev_hash = {};  // "" when NULL
  std::string hash = {};       // "" when NULL
};

struct AuditLogFilter {
  std::string user_id = {};
  std::string resource_type = {};
  std::string resource_id = {};
  std::string action = {};
  std::string from = {};  // created_at >= from (ISO text as stored), when set
  std::string to = {};    // created_at <= to, when set
};

// The row as a JSON object without prev_hash and hash: keys sorted (Json is
// an ordered map), details parsed, "" -> null for the optional texts, seq a
// number. Its compact dump is the canonical row the hash covers.
Json audit_row_json(const AuditLogRecord& r);
std::string audit_canonical_row(const AuditLogRecord& r);
// hex(SHA-256(prev_hash || canonical row)), lower case.
std::string audit_row_hash(std::string_view prev_hash, const AuditLogRecord& r);

class AuditStore {
 public:
  AuditStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Appends `row` (id assigned when empty, created_at = now when empty; seq,
  // prev_hash and hash are always computed). Answers the stored row.
  Result<AuditLogRecord> append(AuditLogRecord row);
  Result<AuditLogRecord> append_in(SqlSession& tx, AuditLogRecord row);

  Result<Page<AuditLogRecord>> list(const AuditLogFilter& filter, const PageRequest& page);
  // Rows with from <= seq <= to (0: unbounded), in seq order, rows without a
  // seq first.
  Result<std::vector<AuditLogRecord>> chain(int64_t from = 0, int64_t to = 0);

  static Result<std::vector<AuditLogRecord>> read_chain(SqlSession& s, int64_t from, int64_t to);
  // read_chain() on a database file opened read-only (the offline verifier:
  // it never writes, never migrates, never creates the file).
  static Result<std::vector<AuditLogRecord>> read_chain_file(const std::string& path,
                                                             int64_t from, int64_t to);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
