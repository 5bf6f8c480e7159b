#include "audit/audit_log.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::audit {

Status AuditLog::record(const AuditEntry& entry) {
  return db_.write([&](store::SqlSession& tx) { return record_in(tx, entry); });
}

Status AuditLog::record_in(store::SqlSession& tx, const AuditEntry& e) {
  OPZ_TRY_STATUS(tx.exec(
      "INSERT INTO audit_logs (id, action, resource_type, resource_id, user_id, details, "
      "ip_address, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {new_uuid(), e.action, e.resource_type, e.resource_id,
       e.user_id.empty() ? store::SqlValue() : store::SqlValue(e.user_id), dump_json(e.details),
       e.ip_address.empty() ? store::SqlValue() : store::SqlValue(e.ip_address),
       format_time(clock_.now())}));
  return {};
}

Result<store::Page<AuditRecord>> AuditLog::list(const AuditFilter& f,
                                                const store::PageRequest& page) {
  return db_.read([&](store::SqlSession& s) -> Result<store::Page<AuditRecord>> {
    std::string sql =
        "SELECT id, action, COALESCE(resource_type, '') AS resource_type, COALESCE(resource_id, "
        "'') AS resource_id, COALESCE(user_id, '') AS user_id, COALESCE(details, '{}') AS details, "
        "COALESCE(ip_address, '') AS ip_address, created_at FROM audit_logs WHERE 1 = 1";
    store::Params params;
    auto bind = [&](std::string_view column, const std::string& value) {
      if (value.empty()) return;
      params.push_back(value);
      sql += " AND " + std::string(column) + " = $" + std::to_string(params.size());
    };
    bind("user_id", f.user_id);
    bind("resource_type", f.resource_type);
    bind("resource_id", f.resource_id);
    bind("action", f.action);
    if (!page.cursor.empty()) {
      OPZ_TRY(store::CursorPosition pos, store::decode_cursor(page.cursor));
      params.push_back(pos.key);
      params.push_back(pos.id);
      sql += " AND (created_at, id) < ($" + std::to_string(params.size() - 1) + ", $" +
             std::to_string(params.size()) + ")";
    }
    params.push_back(page.limit + 1);
    sql += " ORDER BY created_at DESC, id DESC LIMIT $" + std::to_string(params.size());
    OPZ_TRY(store::Rows rows, s.query(sql, params));
    store::Page<AuditRecord> out;
    for (const store::Row& r : rows) {
      if (static_cast<int>(out.items.size()) == page.limit) {
        out.next_cursor = store::encode_cursor(out.items.back().created_at, out.items.back().id);
        break;
      }
      AuditRecord rec;
      rec.id = r["id"].as_text();
      rec.entry.action = r["action"].as_text();
      rec.entry.resource_type = r["resource_type"].as_text();
      rec.entry.resource_id = r["resource_id"].as_text();
      rec.entry.user_id = r["user_id"].as_text();
      rec.entry.details = Json::parse(r["details"].as_text(), nullptr, false);
      rec.entry.ip_address = r["ip_address"].as_text();
      rec.created_at = r["created_at"].as_text();
      out.items.push_back(std::move(rec));
    }
    return out;
  });
}

Json to_json(const AuditRecord& r) {
  return Json{{"id", r.id},
              {"action", r.entry.action},
              {"resource_type", r.entry.resource_type},
              {"resource_id", r.entry.resource_id},
              {"user_id", r.entry.user_id.empty() ? Json(nullptr) : Json(r.entry.user_id)},
              {"details", r.entry.details},
              {"ip_address", r.entry.ip_address.empty() ? Json(nullptr) : Json(r.entry.ip_address)},
              {"created_at", r.created_at}};
}

}  // namespace opz::audit
