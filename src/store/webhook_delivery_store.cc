#include "store/webhook_delivery_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kListColumns =
    "id, delivery_guid, project_id, event, action, signature_valid, headers, "
    "body_bytes, received_at, processed_at, outcome, outcome_reason, "
    "execution_id, replay_of, trigger_key";

DeliveryRecord webhook_delivery_from_row(const Row& r, bool with_body) {
  DeliveryRecord d;
  d.id = r["id"].as_text();
  d.delivery_guid = r["delivery_guid"].as_text();
  d.project_id = r["project_id"].as_text();
  d.event = r["event"].as_text();
  d.action = r["action"].as_text();
  d.signature_valid = r["signature_valid"].as_bool();
  auto headers = parse_json(r["headers"].as_text());
  d.headers = headers && headers->is_object() ? *headers : Json::object();
  if (with_body) d.body = r["body"].as_text();
  d.body_bytes = r["body_bytes"].as_int();
  d.received_at = r["received_at"].as_text();
  d.processed_at = r["processed_at"].as_text();
  d.outcome = r["outcome"].as_text();
  d.outcome_reason = r["outcome_reason"].as_text();
  d.execution_id = r["execution_id"].as_text();
  d.replay_of = r["replay_of"].as_text();
  d.trigger_key = r["trigger_key"].as_text();
  return d;
}

std::string select_columns(bool with_body) {
  // Bodies live in webhook_delivery_bodies (migration 009), read only when asked.
  return std::string(kListColumns) + (with_body
                                          ? ", (SELECT b.body FROM webhook_delivery_bodies b "
                                            "WHERE b.delivery_id = webhook_deliveries.id) AS body"
                                          : "");
}

bool is_final_outcome(const std::string& o) {
  return o == "processed" || o == "ignored" || o == "rejected" || o == "failed";
}

}  // namespace

Result<InsertedDelivery> WebhookDeliveryStore::insert(const DeliveryRecord& d) {
  const std::string id = d.id.empty() ? new_uuid() : d.id;
  const std::string received = d.received_at.empty() ? format_time(clock_.now()) : d.received_at;
  return db_.write([&](SqlSession& s) { return insert_in(s, d, id, received); });
}

void WebhookDeliveryStore::insert_async(DeliveryRecord d,
                                        std::function<void(Result<InsertedDelivery>)> done) {
  if (d.id.empty()) d.id = new_uuid();
  if (d.received_at.empty()) d.received_at = format_time(clock_.now());
  auto record = std::make_shared<DeliveryRecord>(std::move(d));
  auto inserted = std::make_shared<InsertedDelivery>();
  db_.write_async(
      [record, inserted](SqlSession& s) -> Status {
        OPZ_TRY(*inserted, insert_in(s, *record, record->id, record->received_at));
        return {};
      },
      [inserted, done = std::move(done)](Status st) {
        if (!st.ok()) return done(st.error());
        done(std::move(*inserted));
      });
}

Result<InsertedDelivery> WebhookDeliveryStore::insert_in(SqlSession& s, const DeliveryRecord& d,
                                                         const std::string& id,
                                                         const std::string& received) {
  // The UNIQUE delivery_guid decides inside this transaction: a second
  // insert of the GUID changes nothing and reads the stored row instead.
  OPZ_TRY(int64_t n,
          s.exec("INSERT INTO webhook_deliveries (id, delivery_guid, project_id, event, action, "
                 "signature_valid, headers, body_bytes, received_at, outcome, outcome_reason, "
                 "replay_of, processed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                 "$12, $13) ON CONFLICT (delivery_guid) DO NOTHING",
                 {id, d.delivery_guid, text_or_null(d.project_id), d.event, text_or_null(d.action),
                  d.signature_valid, dump_json(d.headers), static_cast<int64_t>(d.body.size()),
                  received, d.outcome.empty() ? std::string("pending") : d.outcome,
                  text_or_null(d.outcome_reason), text_or_null(d.replay_of),
                  d.outcome.empty() || d.outcome == "pending" ? SqlValue() : SqlValue(received)}));
  if (n == 1) {
    // Built in place: an initializer list would copy the body twice more.
    Params params;
    params.reserve(2);
    params.emplace_back(id);
    params.emplace_back(d.body);
    OPZ_TRY(int64_t stored, s.exec("INSERT INTO webhook_delivery_bodies (delivery_id, body) "
                                   "VALUES ($1, $2)",
                                   params));
    (void)stored;
    return InsertedDelivery{id, false, received};
  }
  OPZ_TRY(Rows rows,
          s.query("SELECT id FROM webhook_deliveries WHERE delivery_guid = $1", {d.delivery_guid}));
  if (rows.empty()) return Error::internal("delivery " + d.delivery_guid + " vanished");
  return InsertedDelivery{rows[0]["id"].as_text(), true, {}};
}

Result<DeliveryRecord> WebhookDeliveryStore::find(const std::string& id, bool with_body) {
  return db_.read([&](SqlSession& s) -> Result<DeliveryRecord> {
    OPZ_TRY(Rows rows, s.query("SELECT " + select_columns(with_body) +
                                   " FROM webhook_deliveries WHERE id = $1",
                               {id}));
    if (rows.empty()) return Error::not_found("no webhook delivery with id " + id);
    return webhook_delivery_from_row(rows[0], with_body);
  });
}

Result<std::vector<DeliveryRecord>> WebhookDeliveryStore::find_many(
    const std::vector<std::string>& ids, bool with_body) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<DeliveryRecord>> {
    std::vector<DeliveryRecord> found;
    found.reserve(ids.size());
    const std::string sql =
        "SELECT " + select_columns(with_body) + " FROM webhook_deliveries WHERE id = $1";
    for (const std::string& id : ids) {
      OPZ_TRY(Rows rows, s.query(sql, {id}));
      if (!rows.empty()) found.push_back(webhook_delivery_from_row(rows[0], with_body));
    }
    return found;
  });
}

Result<Page<DeliveryRecord>> WebhookDeliveryStore::list(const DeliveryFilter& f,
                                                        const PageRequest& page, bool with_body) {
  if (!f.outcome.empty() && f.outcome != "pending" && !is_final_outcome(f.outcome))
    return Error::validation("outcome must be one of pending, processed, ignored, rejected, failed",
                             "outcome");
  return db_.read([&](SqlSession& s) -> Result<Page<DeliveryRecord>> {
    std::string sql =
        "SELECT " + select_columns(with_body) + " FROM webhook_deliveries WHERE 1 = 1";
    Params params;
    auto add = [&](const std::string& column, const std::string& value) {
      params.push_back(value);
      sql += " AND " + column + " = $" + std::to_string(params.size());
    };
    if (!f.project_id.empty()) add("project_id", f.project_id);
    if (!f.event.empty()) add("event", f.event);
    if (!f.outcome.empty()) add("outcome", f.outcome);
    OPZ_TRY_STATUS(append_page_clause(page, sql, params, {"received_at", "id"}));
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<DeliveryRecord>(
        rows, page.limit, [&](const Row& r) { return webhook_delivery_from_row(r, with_body); },
        [](const DeliveryRecord& d) -> const std::string& { return d.received_at; });
  });
}

Result<std::vector<std::string>> WebhookDeliveryStore::pending(int limit) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<std::string>> {
    OPZ_TRY(Rows rows, s.query("SELECT id FROM webhook_deliveries WHERE outcome = 'pending' "
                               "ORDER BY received_at, id LIMIT $1",
                               {limit}));
    std::vector<std::string> ids;
    for (const Row& r : rows) ids.push_back(r["id"].as_text());
    return ids;
  });
}

Status WebhookDeliveryStore::record_outcome(const std::string& id, const DeliveryOutcome& o) {
  return db_.write([&](SqlSession& s) { return record_outcome_in(s, id, o); });
}

Status WebhookDeliveryStore::record_outcome_in(SqlSession& tx, const std::string& id,
                                               const DeliveryOutcome& o) {
  if (!is_final_outcome(o.outcome))
    return Error::validation("a delivery outcome is processed, ignored, rejected or failed",
                             "outcome");
  OPZ_TRY(int64_t n, tx.exec("UPDATE webhook_deliveries SET outcome = $2, outcome_reason = $3, "
                             "execution_id = $4, trigger_key = $5, processed_at = $6 "
                             "WHERE id = $1 AND outcome = 'pending'",
                             {id, o.outcome, text_or_null(o.reason), text_or_null(o.execution_id),
                              text_or_null(o.trigger_key), format_time(clock_.now())}));
  if (n == 0) {
    OPZ_TRY(Rows rows, tx.query("SELECT outcome FROM webhook_deliveries WHERE id = $1", {id}));
    if (rows.empty()) return Error::not_found("no webhook delivery with id " + id);
    return Error::conflict("delivery " + id + " was already " + rows[0]["outcome"].as_text());
  }
  return {};
}

Result<std::vector<Status>> WebhookDeliveryStore::record_outcomes(
    const std::vector<std::pair<std::string, DeliveryOutcome>>& outcomes) {
  std::vector<Status> answers;
  Status st = db_.write([&](SqlSession& s) -> Status {
    for (const auto& [id, outcome] : outcomes) {
      Status one = record_outcome_in(s, id, outcome);
      // Refusals change nothing; anything else is the database's failure.
      if (!one.ok() && !one.error().is_not_found() && !one.error().is_conflict() &&
          one.error().code != ErrorCode::kValidation)
        return one;
      answers.push_back(std::move(one));
    }
    return {};
  });
  if (!st.ok()) return st.error();
  return answers;
}

Result<std::optional<DeliveryRecord>> WebhookDeliveryStore::find_by_trigger_key(
    const std::string& trigger_key, const std::string& except_id) {
  return db_.read([&](SqlSession& s) -> Result<std::optional<DeliveryRecord>> {
    OPZ_TRY(Rows rows, s.query("SELECT " + select_columns(false) +
                                   " FROM webhook_deliveries WHERE trigger_key = $1 AND "
                                   "outcome = 'processed' AND id <> $2 "
                                   "ORDER BY received_at, id LIMIT 1",
                               {trigger_key, except_id}));
    if (rows.empty()) return std::optional<DeliveryRecord>();
    return std::optional<DeliveryRecord>(webhook_delivery_from_row(rows[0], false));
  });
}

}  // namespace opz::store
