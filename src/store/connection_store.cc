#include "store/connection_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kConnectionColumns =
    "SELECT id, type, name, status, config, validated, last_validated_at AS lv, "
    "COALESCE(secret_sealed, '') AS secret_sealed, COALESCE(created_by, '') AS created_by, "
    "created_at, updated_at FROM connections ";

ConnectionRecord connection_from_row(const Row& r) {
  ConnectionRecord c;
  c.id = r["id"].as_text();
  c.type = r["type"].as_text();
  c.name = r["name"].as_text();
  c.status = r["status"].as_text();
  c.config = Json::parse(r["config"].as_text(), nullptr, false);
  if (!c.config.is_object()) c.config = Json::object();
  c.validated = r["validated"].as_bool();
  c.last_validated_at = r["lv"].as_text();
  c.secret_sealed = r["secret_sealed"].as_text();
  c.created_by = r["created_by"].as_text();
  c.created_at = r["created_at"].as_text();
  c.updated_at = r["updated_at"].as_text();
  return c;
}

std::string connection_status(const std::string& health) {
  if (health == "healthy") return "active";
  if (health == "degraded") return "degraded";
  return "failed";
}

}  // namespace

Result<ConnectionRecord> ConnectionStore::create(ConnectionRecord c) {
  if (c.id.empty()) c.id = new_uuid();
  c.created_at = c.updated_at = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<ConnectionRecord> {
    OPZ_TRY(Rows same, tx.query("SELECT id FROM connections WHERE name = $1", {c.name}));
    if (!same.empty())
      return Error::conflict("a connection named '" + c.name + "' already exists", "name");
    OPZ_TRY_STATUS(tx.exec(
        "INSERT INTO connections (id, type, name, status, config, validated, secret_sealed, "
        "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, FALSE, $6, $7, $8, $8)",
        {c.id, c.type, c.name, c.status, c.config.dump(), text_or_null(c.secret_sealed),
         text_or_null(c.created_by), c.created_at}));
    return c;
  });
}

Result<std::vector<ConnectionRecord>> ConnectionStore::list() {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ConnectionRecord>> {
    OPZ_TRY(Rows rows, s.query(std::string(kConnectionColumns) + "ORDER BY name, id"));
    std::vector<ConnectionRecord> out;
    for (const Row& r : rows) out.push_back(connection_from_row(r));
    return out;
  });
}

Result<ConnectionRecord> ConnectionStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) -> Result<ConnectionRecord> {
    OPZ_TRY(Rows rows, s.query(std::string(kConnectionColumns) + "WHERE id = $1", {id}));
    if (rows.empty()) return Error::not_found("no connection with id " + id);
    return connection_from_row(rows.rows.front());
  });
}

Status ConnectionStore::remove(const std::string& id) {
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(tx.exec("DELETE FROM connection_health_events WHERE connection_id = $1", {id}));
    OPZ_TRY(int64_t n, tx.exec("DELETE FROM connections WHERE id = $1", {id}));
    if (n == 0) return Error::not_found("no connection with id " + id);
    return {};
  });
}

Result<ConnectionHealthEvent> ConnectionStore::record_check(ConnectionHealthEvent e) {
  if (e.id.empty()) e.id = new_uuid();
  e.created_at = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<ConnectionHealthEvent> {
    OPZ_TRY(int64_t n, tx.exec("UPDATE connections SET status = $2, validated = $3, "
                               "last_validated_at = $4, updated_at = $4 WHERE id = $1",
                               {e.connection_id, connection_status(e.status), e.status == "healthy",
                                e.created_at}));
    if (n == 0) return Error::not_found("no connection with id " + e.connection_id);
    OPZ_TRY_STATUS(tx.exec(
        "INSERT INTO connection_health_events (id, connection_id, status, response_time_ms, "
        "message, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        {e.id, e.connection_id, e.status, e.response_time_ms, e.message, e.created_at}));
    return e;
  });
}

Result<std::vector<ConnectionHealthEvent>> ConnectionStore::events(const std::string& id,
                                                                   int limit) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ConnectionHealthEvent>> {
    OPZ_TRY(Rows rows,
            s.query("SELECT id, connection_id, status, COALESCE(response_time_ms, 0) AS ms, "
                    "COALESCE(message, '') AS message, created_at FROM connection_health_events "
                    "WHERE connection_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                    {id, static_cast<int64_t>(limit)}));
    std::vector<ConnectionHealthEvent> out;
    for (const Row& r : rows)
      out.push_back({r["id"].as_text(), r["connection_id"].as_text(), r["status"].as_text(),
                     r["ms"].as_int(), r["message"].as_text(), r["created_at"].as_text()});
    return out;
  });
}

}  // namespace opz::store
