// UserPreferenceStore: each user's UI preferences (user_preferences,
// migration 001; seed 004: user_id, default_mode, ui_preferences). Accounts
// get a row when created (UserStore::create); a user without one reads the
// defaults (default_mode 'control-tower', ui_preferences {}).
//
// Contract: update() reads, changes and writes the user's row in ONE
// transaction (creating it when missing): default_mode is replaced when
// given; ui_preferences is applied as a JSON Merge Patch (RFC 7386: keys
// replace, null removes a key, nested objects merge). A merged document
// larger than `max_ui_bytes` (serialized) is kValidation on "ui_preferences"
// and nothing is written. The caller validates default_mode. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

inline constexpr const char* kDefaultDashboardMode = "control-tower";

struct UserPreferences {
  std::string default_mode = kDefaultDashboardMode;
  Json ui_preferences = Json::object();
  std::string updated_at;  // empty: never stored
};

class UserPreferenceStore {
 public:
  UserPreferenceStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<UserPreferences> get(const std::string& user_id);
  Result<UserPreferences> update(const std::string& user_id,
                                 const std::optional<std::string>& default_mode,
                                 const std::optional<Json>& ui_patch, size_t max_ui_bytes);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
