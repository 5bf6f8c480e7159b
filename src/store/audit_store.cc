#include "store/audit_store.h"

#include <sodium.h>
#include <sqlite3.h>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kAuditColumns =
    "seq, id, action, resource_type, resource_id, user_id, details, ip_address, user_agent, "
    "created_at, prev_hash, hash";

// Rows in seq order within [from, to] (0: unbounded).
constexpr const char* kChainSql =
    "SELECT seq, id, action, resource_type, resource_id, user_id, details, ip_address, "
    "user_agent, created_at, prev_hash, hash FROM audit_logs "
    "WHERE ($1 = 0 OR seq >= $1) AND ($2 = 0 OR seq <= $2) ORDER BY seq, id";

Json text_or_json_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

AuditLogRecord audit_from_row(const Row& r) {
  AuditLogRecord a;
  a.seq = r["seq"].as_int();
  a.id = r["id"].as_text();
  a.action = r["action"].as_text();
  a.resource_type = r["resource_type"].as_text();
  a.resource_id = r["resource_id"].as_text();
  a.user_id = r["user_id"].as_text();
  a.details = r["details"].is_null() ? "{}" : r["details"].as_text();
  a.ip_address = r["ip_address"].as_text();
  a.user_agent = r["user_agent"].as_text();
  a.created_at = r["created_at"].as_text();
  a.prev_hash = r["prev_hash"].as_text();
  a.hash = r["hash"].as_text();
  return a;
}

std::vector<AuditLogRecord> from_rows(const Rows& rows) {
  std::vector<AuditLogRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(audit_from_row(r));
  return out;
}

struct Tail {
  int64_t seq = 0;
  std::string hash;
};

// Chains the rows written before migration 004 (no hash), in seq order.
// Only called when no row has a hash yet. Answers the new tail.
Result<Tail> chain_legacy_rows(SqlSession& tx) {
  OPZ_TRY(std::vector<AuditLogRecord> rows, AuditStore::read_chain(tx, 0, 0));
  Tail tail{0, std::string(kGenesisHash)};
  for (AuditLogRecord& r : rows) {
    if (r.seq == 0) continue;  // not in the chain: verify reports it
    r.prev_hash = tail.hash;
    r.hash = audit_row_hash(r.prev_hash, r);
    OPZ_TRY_STATUS(tx.exec("UPDATE audit_logs SET prev_hash = $2, hash = $3 WHERE id = $1",
                           {r.id, r.prev_hash, r.hash}));
    tail = Tail{r.seq, r.hash};
  }
  return tail;
}

Result<Tail> load_tail(SqlSession& tx) {
  OPZ_TRY(Rows rows, tx.query("SELECT seq, hash FROM audit_logs WHERE seq IS NOT NULL "
                              "ORDER BY seq DESC LIMIT 1"));
  if (rows.empty()) return Tail{0, std::string(kGenesisHash)};
  if (!rows[0]["hash"].is_null()) return Tail{rows[0]["seq"].as_int(), rows[0]["hash"].as_text()};
  OPZ_TRY(Rows hashed, tx.query("SELECT 1 AS one FROM audit_logs WHERE hash IS NOT NULL LIMIT 1"));
  if (hashed.empty()) return chain_legacy_rows(tx);
  // A started chain whose tail lost its hash: append after it anyway (an
  // audit write must not fail every mutating request); verify names it.
  return Tail{rows[0]["seq"].as_int(), std::string(kGenesisHash)};
}

// Steps a statement prepared on a raw connection into Rows.
Result<Rows> collect(sqlite3* db, sqlite3_stmt* st) {
  Rows out;
  const int n = sqlite3_column_count(st);
  for (int i = 0; i < n; ++i) out.columns.emplace_back(sqlite3_column_name(st, i));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<SqlValue> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL:
          values.emplace_back();
          break;
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(st, i)));
          break;
        default:
          values.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                          sqlite3_column_bytes(st, i)));
      }
    }
    out.rows.emplace_back(&out.columns, std::move(values));
  }
  if (rc != SQLITE_DONE) return Error::internal(std::string("sqlite: ") + sqlite3_errmsg(db));
  return out;
}

}  // namespace

Json audit_row_json(const AuditLogRecord& r) {
  Json details = Json(r.details);  // not JSON (cannot be stored so): hashed as text
  if (auto parsed = parse_json(r.details)) details = std::move(*parsed);
  return Json{{"seq", r.seq},
              {"id", r.id},
              {"action", r.action},
              {"resource_type", r.resource_type},
              {"resource_id", text_or_json_null(r.resource_id)},
              {"user_id", text_or_json_null(r.user_id)},
              {"details", std::move(details)},
              {"ip_address", text_or_json_null(r.ip_address)},
              {"user_agent", text_or_json_null(r.user_agent)},
              {"created_at", r.created_at}};
}

std::string audit_canonical_row(const AuditLogRecord& r) { return dump_json(audit_row_json(r)); }

std::string audit_row_hash(std::string_view prev_hash, const AuditLogRecord& r) {
  const std::string canonical = audit_canonical_row(r);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(prev_hash.data()),
                            prev_hash.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(canonical.data()),
                            canonical.size());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

Result<AuditLogRecord> AuditStore::append(AuditLogRecord row) {
  return db_.write([&](SqlSession& tx) { return append_in(tx, std::move(row)); });
}

Result<AuditLogRecord> AuditStore::append_in(SqlSession& tx, AuditLogRecord row) {
  if (row.id.empty()) row.id = new_uuid();
  if (row.created_at.empty()) row.created_at = format_time(clock_.now());
  if (row.details.empty()) row.details = "{}";
  OPZ_TRY(Tail tail, load_tail(tx));
  row.seq = tail.seq + 1;
  row.prev_hash = std::move(tail.hash);
  row.hash = audit_row_hash(row.prev_hash, row);
  OPZ_TRY_STATUS(
      tx.exec("INSERT INTO audit_logs (id, action, resource_type, resource_id, user_id, details, "
              "ip_address, user_agent, created_at, seq, prev_hash, hash) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
              {row.id, row.action, row.resource_type, text_or_null(row.resource_id),
               text_or_null(row.user_id), row.details, text_or_null(row.ip_address),
               text_or_null(row.user_agent), row.created_at, row.seq, row.prev_hash, row.hash}));
  return row;
}

Result<Page<AuditLogRecord>> AuditStore::list(const AuditLogFilter& f, const PageRequest& page) {
  return db_.read([&](SqlSession& s) -> Result<Page<AuditLogRecord>> {
    std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit_logs WHERE 1 = 1";
    Params params;
    auto add = [&](const std::string& value, std::string_view condition) {
      if (value.empty()) return;
      params.push_back(value);
      sql += " AND " + std::string(condition) + " $" + std::to_string(params.size());
    };
    add(f.user_id, "user_id =");
    add(f.resource_type, "resource_type =");
    add(f.resource_id, "resource_id =");
    add(f.action, "action =");
    add(f.from, "created_at >=");
    add(f.to, "created_at <=");
    OPZ_TRY_STATUS(append_page_clause(page, sql, params));
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<AuditLogRecord>(rows, page.limit, audit_from_row);
  });
}

Result<std::vector<AuditLogRecord>> AuditStore::chain(int64_t from, int64_t to) {
  return db_.read([&](SqlSession& s) { return read_chain(s, from, to); });
}

Result<std::vector<AuditLogRecord>> AuditStore::read_chain(SqlSession& s, int64_t from,
                                                           int64_t to) {
  OPZ_TRY(Rows rows, s.query(kChainSql, {from, to}));
  return from_rows(rows);
}

Result<std::vector<AuditLogRecord>> AuditStore::read_chain_file(const std::string& path,
                                                                int64_t from, int64_t to) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  struct Close {
    sqlite3* db;
    ~Close() { sqlite3_close(db); }
  } close{db};
  if (rc != SQLITE_OK)
    return Error::unavailable("cannot open " + path +
                              " read-only: " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, kChainSql, -1, &st, nullptr) != SQLITE_OK)
    return Error::internal("cannot read audit_logs of " + path + ": " + sqlite3_errmsg(db));
  struct Finalize {
    sqlite3_stmt* st;
    ~Finalize() { sqlite3_finalize(st); }
  } finalize{st};
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, "$1"), from);
  sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, "$2"), to);
  OPZ_TRY(Rows rows, collect(db, st));
  return from_rows(rows);
}

}  // namespace opz::store
