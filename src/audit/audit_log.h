// AuditLog: the append-only trail of who did what (seeds' audit_logs), a
// hash chain kept by store::AuditStore (docs/audit.md).
//
// record() can run inside a caller's transaction (record_in) so the audit row
// commits with the change it describes, or on its own. Details never contain
// secrets: callers pass ids and names, never tokens or passwords.
// Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/audit_store.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::audit {

struct AuditEntry {
  std::string action;         // "project.created", "deployment_completed", ...
  std::string resource_type;  // "project", "execution", ...
  std::string resource_id;
  std::string user_id;        // empty for system actions
  Json details = Json::object();
  std::string ip_address;
  std::string user_agent = {};  // the request's User-Agent, when there was one
};

struct AuditRecord {
  std::string id;
  AuditEntry entry;
  std::string created_at;
  int64_t seq = 0;  // the chain order
  std::string prev_hash;
  std::string hash;
};

struct AuditFilter {
  std::string user_id;        // non-admins are restricted to their own entries
  std::string resource_type;
  std::string resource_id;
  std::string action;
  std::string from;  // created_at bounds (ISO 8601 UTC as stored), inclusive
  std::string to;
};

class AuditLog {
 public:
  AuditLog(store::Database& db, const Clock& clock) : store_(db, clock), db_(db) {}

  Status record(const AuditEntry& entry);
  // Inside a write transaction that the caller owns.
  Status record_in(store::SqlSession& tx, const AuditEntry& entry);
  Result<store::Page<AuditRecord>> list(const AuditFilter& filter, const store::PageRequest& page);

 private:
  store::AuditStore store_;
  store::Database& db_;
};

Json to_json(const AuditRecord& r);

}  // namespace opz::audit
