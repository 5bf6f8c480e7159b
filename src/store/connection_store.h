// ConnectionStore: external services Opzenix checks (connections: github,
// registry, otel, http) and the history of their checks
// (connection_health_events). The credential is stored sealed
// (secrets::SecretBox) by the caller; this store never sees it in clear.
// record_check() writes the event and the connection's new status in one
// transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct ConnectionRecord {
  std::string id;
  std::string type;    // github | registry | otel | http
  std::string name;
  std::string status = "pending";  // pending | active | degraded | failed | disabled
  Json config = Json::object();    // {"url": ..., ...}; never a credential
  bool validated = false;
  std::string last_validated_at;   // "" until the first check
  std::string secret_sealed;       // "" when none
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

struct ConnectionHealthEvent {
  std::string id;
  std::string connection_id;
  std::string status;  // healthy | degraded | unhealthy
  int64_t response_time_ms = 0;
  std::string message;
  std::string created_at;
};

class ConnectionStore {
 public:
  ConnectionStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // id and times filled; kConflict ("name") when another connection has the name.
  Result<ConnectionRecord> create(ConnectionRecord c);
  Result<std::vector<ConnectionRecord>> list();  // by name
  Result<ConnectionRecord> find(const std::string& id);  // kNotFound
  Status remove(const std::string& id);                  // kNotFound; its events go too

  // Stores `event` (id and created_at filled) and sets the connection's
  // status (healthy -> active, degraded -> degraded, unhealthy -> failed),
  // validated (true when healthy) and last_validated_at.
  Result<ConnectionHealthEvent> record_check(ConnectionHealthEvent event);
  // Newest first.
  Result<std::vector<ConnectionHealthEvent>> events(const std::string& connection_id, int limit);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
