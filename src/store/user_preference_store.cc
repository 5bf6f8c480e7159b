#include "store/user_preference_store.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

namespace {

Result<std::optional<UserPreferences>> stored(SqlSession& s, const std::string& user_id) {
  OPZ_TRY(Rows rows, s.query("SELECT default_mode, ui_preferences, updated_at "
                             "FROM user_preferences WHERE user_id = $1",
                             {user_id}));
  if (rows.empty()) return std::optional<UserPreferences>{};
  Json ui = Json::parse(rows[0]["ui_preferences"].as_text(), nullptr, false);
  if (!ui.is_object()) ui = Json::object();
  return std::optional<UserPreferences>{UserPreferences{
      rows[0]["default_mode"].as_text(), std::move(ui), rows[0]["updated_at"].as_text()}};
}

}  // namespace

Result<UserPreferences> UserPreferenceStore::get(const std::string& user_id) {
  return db_.read([&](SqlSession& s) -> Result<UserPreferences> {
    OPZ_TRY(std::optional<UserPreferences> found, stored(s, user_id));
    return found.value_or(UserPreferences{});
  });
}

Result<UserPreferences> UserPreferenceStore::update(const std::string& user_id,
                                                    const std::optional<std::string>& default_mode,
                                                    const std::optional<Json>& ui_patch,
                                                    size_t max_ui_bytes) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<UserPreferences> {
    OPZ_TRY(std::optional<UserPreferences> found, stored(s, user_id));
    UserPreferences p = found.value_or(UserPreferences{});
    if (default_mode) p.default_mode = *default_mode;
    if (ui_patch) p.ui_preferences.merge_patch(*ui_patch);
    if (!p.ui_preferences.is_object()) p.ui_preferences = Json::object();
    const std::string ui = p.ui_preferences.dump();
    if (ui.size() > max_ui_bytes)
      return Error::validation("ui_preferences would be " + std::to_string(ui.size()) +
                                   " bytes; at most " + std::to_string(max_ui_bytes),
                               "ui_preferences");
    p.updated_at = now;
    if (found) {
      OPZ_TRY_STATUS(s.exec("UPDATE user_preferences SET default_mode = $2, ui_preferences = $3, "
                            "updated_at = $4 WHERE user_id = $1",
                            {user_id, p.default_mode, ui, now}));
    } else {
      OPZ_TRY_STATUS(s.exec("INSERT INTO user_preferences (id, user_id, default_mode, "
                            "ui_preferences, created_at, updated_at) "
                            "VALUES ($1, $2, $3, $4, $5, $5)",
                            {new_uuid(), user_id, p.default_mode, ui, now}));
    }
    return p;
  });
}

}  // namespace opz::store
