// Per-user dashboards (issue 13; seed 004 dashboard_layouts, user_preferences,
// widget_metrics):
//   GET    /api/v1/dashboard-layouts        the caller's layouts, default first
//   POST   /api/v1/dashboard-layouts        {"name","layout":{...},"is_default"?} -> 201
//   PUT    /api/v1/dashboard-layouts/{id}   {"name"?,"layout"?,"is_default"?} -> 200
//   DELETE /api/v1/dashboard-layouts/{id}   -> 204
// Every user sees and changes only their own layouts (another user's id is
// 404, as if it did not exist); exactly one is the default (store contract,
// store/dashboard_layout_store.h). layout: a JSON object of at most 64 KiB.
// The preferences and widget metric routes are registered from here too.
#include "api/dashboard_routes.h"
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "store/dashboard_layout_store.h"

namespace opz::api {

Status check_dashboard_object(const Json& value, const char* field) {
  if (!value.is_object())
    return Error::validation(std::string("'") + field + "' must be a JSON object", field);
  const size_t size = value.dump().size();
  if (size > kMaxDashboardJsonBytes)
    return Error::validation(std::string("'") + field + "' is " + std::to_string(size) +
                                 " bytes; at most " + std::to_string(kMaxDashboardJsonBytes),
                             field);
  return {};
}

namespace {

Json layout_json(const store::DashboardLayoutRecord& l) {
  return Json{{"id", l.id},
              {"user_id", l.user_id},
              {"name", l.name},
              {"layout", l.layout},
              {"is_default", l.is_default},
              {"created_at", l.created_at},
              {"updated_at", l.updated_at}};
}

Result<std::optional<std::string>> read_name(const FieldReader& f, bool required) {
  OPZ_TRY(std::optional<std::string> name, f.optional_string("name", 200));
  if (required && (!name || name->empty()))
    return Error::validation("'name' is required", "name");
  if (name) {
    if (name->empty()) return Error::validation("'name' may not be empty", "name");
    OPZ_TRY_STATUS(check_printable(*name, "name"));
  }
  return name;
}

Result<store::DashboardLayoutChange> read_layout_change(const Json& body, bool creating) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown({"name", "layout", "is_default"}));
  store::DashboardLayoutChange c;
  OPZ_TRY(c.name, read_name(f, creating));
  if (const Json* layout = f.get("layout")) {
    OPZ_TRY_STATUS(check_dashboard_object(*layout, "layout"));
    c.layout = *layout;
  } else if (creating) {
    return Error::validation("'layout' is required (a JSON object)", "layout");
  }
  OPZ_TRY(c.is_default, f.optional_bool("is_default"));
  return c;
}

}  // namespace

Status register_dashboard_layout_routes(http::Router& r, ApiContext& ctx) {
  constexpr const char* kAction = "dashboard_layouts.manage_own";
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/dashboard-layouts", kAction,
      [&ctx](http::Request&, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(auto layouts, store::DashboardLayoutStore(ctx.db, ctx.clock).list(p.user_id));
        Json items = Json::array();
        for (const auto& l : layouts) items.push_back(layout_json(l));
        return Reply{200, Json{{"items", std::move(items)}}};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/dashboard-layouts", kAction,
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(store::DashboardLayoutChange c, read_layout_change(body, true));
        OPZ_TRY(auto created, store::DashboardLayoutStore(ctx.db, ctx.clock)
                                  .create(p.user_id, *c.name, *c.layout,
                                          c.is_default.value_or(false)));
        return Reply{201, layout_json(created)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", "/api/v1/dashboard-layouts/{id}", kAction,
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "dashboard layout"));
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(store::DashboardLayoutChange c, read_layout_change(body, false));
        OPZ_TRY(auto updated, store::DashboardLayoutStore(ctx.db, ctx.clock)
                                  .update(p.user_id, req.param("id"), c));
        return Reply{200, layout_json(updated)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/dashboard-layouts/{id}", kAction,
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "dashboard layout"));
        OPZ_TRY_STATUS(
            store::DashboardLayoutStore(ctx.db, ctx.clock).remove(p.user_id, req.param("id")));
        return Reply{204, {}};
      }));
  OPZ_TRY_STATUS(register_user_preference_routes(r, ctx));
  return register_widget_metric_routes(r, ctx);
}

}  // namespace opz::api
