#include "store/notification_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kNotificationColumns =
    "SELECT id, type, COALESCE(target, '') AS target, COALESCE(target_user_id, '') AS "
    "target_user_id, COALESCE(project_id, '') AS project_id, payload, read_at, created_at FROM "
    "notification_events ";

NotificationRecord notification_from_row(const Row& r) {
  NotificationRecord n;
  n.id = r["id"].as_text();
  n.type = r["type"].as_text();
  n.target = r["target"].as_text();
  n.target_user_id = r["target_user_id"].as_text();
  n.project_id = r["project_id"].as_text();
  n.payload = Json::parse(r["payload"].as_text(), nullptr, false);
  if (n.payload.is_discarded()) n.payload = Json::object();
  n.read_at = r["read_at"].as_text();
  n.created_at = r["created_at"].as_text();
  return n;
}

}  // namespace

Result<NotificationRecord> NotificationStore::create(NotificationRecord n) {
  return db_.write([&](SqlSession& tx) { return create_in(tx, std::move(n)); });
}

Result<NotificationRecord> NotificationStore::create_in(SqlSession& tx, NotificationRecord n) {
  if (n.id.empty()) n.id = new_uuid();
  if (n.created_at.empty()) n.created_at = format_time(clock_.now());
  if (n.target.empty()) n.target = n.target_user_id;
  n.read_at.clear();
  OPZ_TRY_STATUS(tx.exec(
      "INSERT INTO notification_events (id, type, target, target_user_id, project_id, payload, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {n.id, n.type, text_or_null(n.target), text_or_null(n.target_user_id),
       text_or_null(n.project_id), n.payload.dump(), n.created_at}));
  return n;
}

Result<Page<NotificationRecord>> NotificationStore::list_for_user(const std::string& user_id,
                                                                  bool unread_only,
                                                                  const PageRequest& page) {
  std::string sql = std::string(kNotificationColumns) + "WHERE target_user_id = $1";
  if (unread_only) sql += " AND read_at IS NULL";
  Params params{user_id};
  OPZ_TRY_STATUS(append_page_clause(page, sql, params));
  return db_.read([&](SqlSession& s) -> Result<Page<NotificationRecord>> {
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<NotificationRecord>(rows, page.limit, notification_from_row);
  });
}

Result<NotificationRecord> NotificationStore::mark_read(const std::string& id,
                                                        const std::string& user_id) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<NotificationRecord> {
    OPZ_TRY_STATUS(tx.exec(
        "UPDATE notification_events SET read_at = $3 WHERE id = $1 AND target_user_id = $2 AND "
        "read_at IS NULL",
        {id, user_id, now}));
    OPZ_TRY(Rows rows,
            tx.query(std::string(kNotificationColumns) + "WHERE id = $1 AND target_user_id = $2",
                     {id, user_id}));
    if (rows.empty()) return Error::not_found("no notification with id " + id);
    return notification_from_row(rows[0]);
  });
}

Result<int64_t> NotificationStore::mark_all_read(const std::string& user_id) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) {
    return tx.exec(
        "UPDATE notification_events SET read_at = $2 WHERE target_user_id = $1 AND read_at IS NULL",
        {user_id, now});
  });
}

Result<std::vector<std::pair<std::string, std::string>>> NotificationStore::users_with_roles_in(
    SqlSession& s) {
  OPZ_TRY(Rows rows, s.query("SELECT p.id, r.role FROM profiles p JOIN user_roles r ON "
                             "r.user_id = p.id ORDER BY p.created_at, p.id"));
  std::vector<std::pair<std::string, std::string>> out;
  for (const Row& r : rows) out.emplace_back(r["id"].as_text(), r["role"].as_text());
  return out;
}

Result<bool> NotificationStore::user_exists(const std::string& user_id) {
  return db_.read([&](SqlSession& s) -> Result<bool> {
    OPZ_TRY(Rows rows, s.query("SELECT 1 FROM profiles WHERE id = $1", {user_id}));
    return !rows.empty();
  });
}

}  // namespace opz::store
