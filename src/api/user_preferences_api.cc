// The caller's UI preferences (issue 13; seed 004 user_preferences):
//   GET /api/v1/user-preferences  -> {"default_mode","ui_preferences","updated_at"}
//       (defaults when nothing is stored: 'control-tower', {}, null)
//   PUT /api/v1/user-preferences  {"default_mode"?, "ui_preferences"?} -> 200 the result
// default_mode replaces; ui_preferences is merged as a JSON Merge Patch (RFC
// 7386: a key set to null is removed), so two parts of the UI can each keep
// their own keys. The merged document is at most 64 KiB.
//
// default_mode names the view the web UI opens with. The seeds give only the
// default ('control-tower', the "Control Tower" of 004); the others are the
// UI areas of 004's component tree (dashboard, execution, pipeline,
// governance).
#include "api/dashboard_routes.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "store/user_preference_store.h"

namespace opz::api {

namespace {

Json preferences_json(const store::UserPreferences& p) {
  return Json{{"default_mode", p.default_mode},
              {"ui_preferences", p.ui_preferences},
              {"updated_at", p.updated_at.empty() ? Json() : Json(p.updated_at)}};
}

}  // namespace

Status register_user_preference_routes(http::Router& r, ApiContext& ctx) {
  constexpr const char* kAction = "user_preferences.manage_own";
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/user-preferences", kAction,
      [&ctx](http::Request&, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(auto prefs, store::UserPreferenceStore(ctx.db, ctx.clock).get(p.user_id));
        return Reply{200, preferences_json(prefs)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", "/api/v1/user-preferences", kAction,
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.expect_object());
        OPZ_TRY_STATUS(f.reject_unknown({"default_mode", "ui_preferences"}));
        OPZ_TRY(std::optional<std::string> mode, f.optional_string("default_mode", 64));
        if (mode)
          OPZ_TRY_STATUS(check_one_of(
              "default_mode", *mode,
              {"control-tower", "dashboard", "execution", "pipeline", "governance"}));
        std::optional<Json> patch;
        if (const Json* ui = f.get("ui_preferences")) {
          OPZ_TRY_STATUS(check_dashboard_object(*ui, "ui_preferences"));
          patch = *ui;
        }
        OPZ_TRY(auto prefs, store::UserPreferenceStore(ctx.db, ctx.clock)
                                .update(p.user_id, mode, patch, kMaxDashboardJsonBytes));
        return Reply{200, preferences_json(prefs)};
      }));
  return {};
}

}  // namespace opz::api
