#include "audit/audit_log.h"
#include "core/json_optional.h"

namespace opz::audit {

namespace {

store::AuditLogRecord to_row(const AuditEntry& e) {
  store::AuditLogRecord r;
  r.action = e.action;
  r.resource_type = e.resource_type;
  r.resource_id = e.resource_id;
  r.user_id = e.user_id;
  r.details = dump_json(e.details);
  r.ip_address = e.ip_address;
  r.user_agent = e.user_agent;
  return r;
}

AuditRecord from_row(const store::AuditLogRecord& r) {
  AuditRecord rec;
  rec.id = r.id;
  rec.entry.action = r.action;
  rec.entry.resource_type = r.resource_type;
  rec.entry.resource_id = r.resource_id;
  rec.entry.user_id = r.user_id;
  rec.entry.details = Json::parse(r.details, nullptr, false);
  rec.entry.ip_address = r.ip_address;
  rec.entry.user_agent = r.user_agent;
  rec.created_at = r.created_at;
  rec.seq = r.seq;
  rec.prev_hash = r.prev_hash;
  rec.hash = r.hash;
  return rec;
}

}  // namespace

Status AuditLog::record(const AuditEntry& entry) {
  return db_.write([&](store::SqlSession& tx) { return record_in(tx, entry); });
}

Status AuditLog::record_in(store::SqlSession& tx, const AuditEntry& e) {
  OPZ_TRY_STATUS(store_.append_in(tx, to_row(e)));
  return {};
}

Result<store::Page<AuditRecord>> AuditLog::list(const AuditFilter& f,
                                                const store::PageRequest& page) {
  OPZ_TRY(store::Page<store::AuditLogRecord> rows,
          store_.list({f.user_id, f.resource_type, f.resource_id, f.action, f.from, f.to}, page));
  store::Page<AuditRecord> out;
  out.next_cursor = std::move(rows.next_cursor);
  out.items.reserve(rows.items.size());
  for (const store::AuditLogRecord& r : rows.items) out.items.push_back(from_row(r));
  return out;
}

Json to_json(const AuditRecord& r) {
  return Json{{"id", r.id},
              {"seq", r.seq},
              {"action", r.entry.action},
              {"resource_type", r.entry.resource_type},
              {"resource_id", r.entry.resource_id},
              {"user_id", string_or_null(r.entry.user_id)},
              {"details", r.entry.details},
              {"ip_address", string_or_null(r.entry.ip_address)},
              {"user_agent", string_or_null(r.entry.user_agent)},
              {"created_at", r.created_at},
              {"prev_hash", string_or_null(r.prev_hash)},
              {"hash", string_or_null(r.hash)}};
}

}  // namespace opz::audit
