#include "store/project_webhook_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kWebhookColumns =
    "SELECT id, project_id, url, secret_sealed, format, events, enabled, "
    "COALESCE(created_by, '') AS created_by, created_at FROM project_webhooks ";

constexpr const char* kDeliveryColumns =
    "d.id, d.webhook_id, d.event, d.payload, d.status, d.attempts, d.next_attempt_at, "
    "d.last_status_code, COALESCE(d.last_error, '') AS last_error, d.created_at, "
    "d.delivered_at";

ProjectWebhookRecord webhook_from_row(const Row& r) {
  ProjectWebhookRecord w;
  w.id = r["id"].as_text();
  w.project_id = r["project_id"].as_text();
  w.url = r["url"].as_text();
  w.secret_sealed = r["secret_sealed"].as_text();
  w.format = r["format"].as_text();
  w.events = Json::parse(r["events"].as_text(), nullptr, false);
  if (!w.events.is_array()) w.events = Json::array();
  w.enabled = r["enabled"].as_bool();
  w.created_by = r["created_by"].as_text();
  w.created_at = r["created_at"].as_text();
  return w;
}

ProjectWebhookDeliveryRecord delivery_from_row(const Row& r) {
  ProjectWebhookDeliveryRecord d;
  d.id = r["id"].as_text();
  d.webhook_id = r["webhook_id"].as_text();
  d.event = r["event"].as_text();
  d.payload = r["payload"].as_text();
  d.status = r["status"].as_text();
  d.attempts = static_cast<int>(r["attempts"].as_int());
  d.next_attempt_at = r["next_attempt_at"].as_text();
  if (!r["last_status_code"].is_null())
    d.last_status_code = static_cast<int>(r["last_status_code"].as_int());
  d.last_error = r["last_error"].as_text();
  d.created_at = r["created_at"].as_text();
  d.delivered_at = r["delivered_at"].as_text();
  return d;
}

Result<std::vector<ProjectWebhookRecord>> select_webhooks(SqlSession& s, const std::string& where,
                                                          const Params& params) {
  OPZ_TRY(Rows rows, s.query(std::string(kWebhookColumns) + where, params));
  std::vector<ProjectWebhookRecord> out;
  for (const Row& r : rows) out.push_back(webhook_from_row(r));
  return out;
}

}  // namespace

Result<ProjectWebhookRecord> ProjectWebhookStore::create(ProjectWebhookRecord w) {
  if (w.id.empty()) w.id = new_uuid();
  if (w.created_at.empty()) w.created_at = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<ProjectWebhookRecord> {
    OPZ_TRY(Rows p, tx.query("SELECT id FROM projects WHERE id = $1", {w.project_id}));
    if (p.empty()) return Error::not_found("no project with id " + w.project_id);
    OPZ_TRY_STATUS(
        tx.exec("INSERT INTO project_webhooks (id, project_id, url, secret_sealed, format, events, "
                "enabled, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                {w.id, w.project_id, w.url, w.secret_sealed, w.format, w.events.dump(), w.enabled,
                 text_or_null(w.created_by), w.created_at}));
    return w;
  });
}

Result<std::vector<ProjectWebhookRecord>> ProjectWebhookStore::list(const std::string& project_id) {
  return db_.read([&](SqlSession& s) {
    return select_webhooks(s, "WHERE project_id = $1 ORDER BY created_at, id", {project_id});
  });
}

Result<std::vector<ProjectWebhookRecord>> ProjectWebhookStore::enabled_in(
    SqlSession& s, const std::string& project_id) {
  return select_webhooks(s, "WHERE project_id = $1 AND enabled = TRUE ORDER BY created_at, id",
                         {project_id});
}

Result<ProjectWebhookRecord> ProjectWebhookStore::find(const std::string& project_id,
                                                       const std::string& id) {
  return db_.read([&](SqlSession& s) -> Result<ProjectWebhookRecord> {
    OPZ_TRY(auto found, select_webhooks(s, "WHERE project_id = $1 AND id = $2", {project_id, id}));
    if (found.empty()) return Error::not_found("no webhook with id " + id + " in this project");
    return found.front();
  });
}

Status ProjectWebhookStore::remove(const std::string& project_id, const std::string& id) {
  return db_.write([&](SqlSession& tx) -> Status {
    OPZ_TRY(int64_t n, tx.exec("DELETE FROM project_webhooks WHERE project_id = $1 AND id = $2",
                               {project_id, id}));
    if (n == 0) return Error::not_found("no webhook with id " + id + " in this project");
    return {};
  });
}

Result<ProjectWebhookDeliveryRecord> ProjectWebhookStore::enqueue_in(SqlSession& tx,
                                                                     const std::string& webhook_id,
                                                                     const std::string& event,
                                                                     const std::string& payload) {
  ProjectWebhookDeliveryRecord d;
  d.id = new_uuid();
  d.webhook_id = webhook_id;
  d.event = event;
  d.payload = payload;
  d.created_at = d.next_attempt_at = format_time(clock_.now());
  OPZ_TRY_STATUS(tx.exec(
      "INSERT INTO project_webhook_deliveries (id, webhook_id, event, payload, status, attempts, "
      "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
      {d.id, d.webhook_id, d.event, d.payload, d.created_at}));
  return d;
}

Result<Page<ProjectWebhookDeliveryRecord>> ProjectWebhookStore::deliveries(
    const std::string& webhook_id, const PageRequest& page) {
  std::string sql = std::string("SELECT ") + kDeliveryColumns +
                    " FROM project_webhook_deliveries d WHERE d.webhook_id = $1";
  Params params{webhook_id};
  OPZ_TRY_STATUS(append_page_clause(page, sql, params, {"d.created_at", "d.id"}));
  return db_.read([&](SqlSession& s) -> Result<Page<ProjectWebhookDeliveryRecord>> {
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<ProjectWebhookDeliveryRecord>(rows, page.limit, delivery_from_row);
  });
}

Result<ProjectWebhookDeliveryRecord> ProjectWebhookStore::find_delivery(const std::string& id) {
  return db_.read([&](SqlSession& s) -> Result<ProjectWebhookDeliveryRecord> {
    OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kDeliveryColumns +
                                   " FROM project_webhook_deliveries d WHERE d.id = $1",
                               {id}));
    if (rows.empty()) return Error::not_found("no webhook delivery with id " + id);
    return delivery_from_row(rows[0]);
  });
}

Result<std::vector<DueWebhookDelivery>> ProjectWebhookStore::due(int limit) {
  const std::string now = format_time(clock_.now());
  return db_.read([&](SqlSession& s) -> Result<std::vector<DueWebhookDelivery>> {
    OPZ_TRY(Rows rows,
            s.query(std::string("SELECT ") + kDeliveryColumns +
                        ", w.url, w.secret_sealed FROM project_webhook_deliveries d JOIN "
                        "project_webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' "
                        "AND d.next_attempt_at <= $1 ORDER BY d.next_attempt_at, d.id LIMIT $2",
                    {now, limit}));
    std::vector<DueWebhookDelivery> out;
    for (const Row& r : rows)
      out.push_back({delivery_from_row(r), r["url"].as_text(), r["secret_sealed"].as_text()});
    return out;
  });
}

Result<std::optional<std::string>> ProjectWebhookStore::next_due_at() {
  return db_.read([&](SqlSession& s) -> Result<std::optional<std::string>> {
    OPZ_TRY(Rows rows, s.query("SELECT MIN(next_attempt_at) AS at FROM "
                               "project_webhook_deliveries WHERE status = 'pending'"));
    if (rows.empty()) return std::optional<std::string>();
    return rows[0]["at"].as_optional_text();
  });
}

Status ProjectWebhookStore::record_attempt(const std::string& delivery_id,
                                           const WebhookAttempt& attempt) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Status {
    // Only the time the status calls for is bound: an unused empty
    // next_attempt_at would not be a time on PostgreSQL.
    std::string sql =
        "UPDATE project_webhook_deliveries SET attempts = attempts + 1, status = $2, "
        "last_status_code = $3, last_error = $4";
    Params params{delivery_id, attempt.status, attempt.status_code,
                  text_or_null(attempt.error.substr(0, 1000))};
    if (attempt.status == "pending") {
      sql += ", next_attempt_at = $5";
      params.push_back(attempt.next_attempt_at);
    } else if (attempt.status == "delivered") {
      sql += ", delivered_at = $5";
      params.push_back(now);
    }
    OPZ_TRY_STATUS(tx.exec(sql + " WHERE id = $1", params));
    return {};
  });
}

}  // namespace opz::store
