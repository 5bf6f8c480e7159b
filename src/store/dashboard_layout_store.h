// DashboardLayoutStore: each user's saved dashboard arrangements
// (dashboard_layouts, migration 001; seed 004 "Custom dashboard layouts",
// user_id + layout JSON + is_default, the seeds' "user ownership" policy).
//
// Contract: every method is scoped to one user; another user's layout is
// kNotFound, never shown or changed. A user with layouts has exactly one
// default: the first layout becomes it; making another the default unsets
// the old one in the same transaction; deleting the default makes the most
// recently updated remaining layout the default; unsetting the default
// without naming another is kValidation on "is_default". Layout JSON is
// stored as given (the caller validates its shape and size). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct DashboardLayoutRecord {
  std::string id;
  std::string user_id;
  std::string name;
  Json layout = Json::object();
  bool is_default = false;
  std::string created_at;
  std::string updated_at;
};

// Fields a change sets; unset fields are kept.
struct DashboardLayoutChange {
  std::optional<std::string> name;
  std::optional<Json> layout;
  std::optional<bool> is_default;
};

class DashboardLayoutStore {
 public:
  DashboardLayoutStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The user's layouts, the default first, then by name.
  Result<std::vector<DashboardLayoutRecord>> list(const std::string& user_id);
  Result<DashboardLayoutRecord> create(const std::string& user_id, const std::string& name,
                                       const Json& layout, bool is_default);
  Result<DashboardLayoutRecord> update(const std::string& user_id, const std::string& id,
                                       const DashboardLayoutChange& change);
  Status remove(const std::string& user_id, const std::string& id);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
