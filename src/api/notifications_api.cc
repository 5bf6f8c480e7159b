// Notifications and outgoing project webhooks:
//   GET  /api/v1/notifications[?unread=true]     the caller's, newest first
//   POST /api/v1/notifications/{id}/read         one of the caller's
//   POST /api/v1/notifications/read-all
//   POST /functions/v1/notify-event              the seeds' {"type","target","payload"}
//   GET|POST /api/v1/projects/{id}/webhooks, DELETE .../webhooks/{wid},
//   GET .../webhooks/{wid}/deliveries            (admin; the secret is sealed
//                                                 and never answered)
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/outbound_check.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "store/notification_store.h"
#include "store/project_webhook_store.h"
#include "trigger/notifier.h"
#include "trigger/trigger_service.h"
#include "core/json_optional.h"

namespace opz::api {

namespace {

Json notification_json(const store::NotificationRecord& n) {
  return Json{{"id", n.id},
              {"type", n.type},
              {"target", n.target},
              {"project_id", string_or_null(n.project_id)},
              {"payload", n.payload},
              {"read", !n.read_at.empty()},
              {"read_at", string_or_null(n.read_at)},
              {"created_at", n.created_at}};
}

Json webhook_json(const store::ProjectWebhookRecord& w) {
  return Json{{"id", w.id},           {"project_id", w.project_id}, {"url", w.url},
              {"format", w.format},   {"events", w.events},         {"enabled", w.enabled},
              {"has_secret", !w.secret_sealed.empty()},             {"created_at", w.created_at}};
}

Json delivery_json(const store::ProjectWebhookDeliveryRecord& d) {
  return Json{{"id", d.id},
              {"webhook_id", d.webhook_id},
              {"event", d.event},
              {"payload", Json::parse(d.payload, nullptr, false)},
              {"status", d.status},
              {"attempts", d.attempts},
              {"next_attempt_at", d.status == "pending" ? Json(d.next_attempt_at) : Json(nullptr)},
              {"last_status_code", d.last_status_code ? Json(*d.last_status_code) : Json(nullptr)},
              {"last_error", d.last_error.empty() ? Json(nullptr) : Json(d.last_error)},
              {"created_at", d.created_at},
              {"delivered_at", d.delivered_at.empty() ? Json(nullptr) : Json(d.delivered_at)}};
}

Status check_event_name(const std::string& type, const std::string& field) {
  if (type.empty() || type.size() > 64)
    return Error::validation("'" + field + "' must be 1-64 characters", field);
  for (char c : type)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return Error::validation("'" + field + "' may hold letters, digits, '_', '.', '-'", field);
  return {};
}

Status check_webhook_url(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return Error::validation("'url' must be an http or https URL", "url");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return Error::validation("'url' may not contain spaces or control characters", "url");
  return {};
}

Result<store::ProjectWebhookRecord> read_webhook(ApiContext& ctx, const Json& body,
                                                 const std::string& project_id,
                                                 const auth::Principal& p) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.reject_unknown({"url", "secret", "format", "events", "enabled"}));
  store::ProjectWebhookRecord w;
  w.project_id = project_id;
  w.created_by = p.user_id;
  OPZ_TRY(w.url, f.required_string("url", 2000));
  OPZ_TRY_STATUS(check_webhook_url(w.url));
  OPZ_TRY_STATUS(check_outbound_url(ctx, w.url, "url", net::UrlKind::kHttp));
  OPZ_TRY(std::string secret, f.required_string("secret", 256));
  if (secret.size() < 8) return Error::validation("'secret' needs at least 8 characters", "secret");
  OPZ_TRY(auto format, f.optional_string("format", 16));
  w.format = format.value_or("opzenix");
  OPZ_TRY_STATUS(check_one_of("format", w.format, {"opzenix", "slack"}));
  OPZ_TRY(auto enabled, f.optional_bool("enabled"));
  w.enabled = enabled.value_or(true);
  if (const Json* events = f.get("events")) {
    if (!events->is_array()) return Error::validation("'events' must be an array", "events");
    for (size_t i = 0; i < events->size(); ++i) {
      const std::string field = "events[" + std::to_string(i) + "]";
      if (!(*events)[i].is_string()) return Error::validation(field + " must be a string", field);
      OPZ_TRY_STATUS(check_event_name((*events)[i].get<std::string>(), field));
    }
    w.events = *events;
  }
  if (!ctx.triggers) return Error::unavailable("secrets cannot be sealed: triggers are not running");
  OPZ_TRY(w.secret_sealed, ctx.triggers->secret_box().seal(secret));
  return w;
}

Status register_webhook_config_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/projects/{id}/webhooks", "project_webhooks.manage",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "project"));
        OPZ_TRY_STATUS(ctx.projects.find_project(req.param("id")));
        OPZ_TRY(auto hooks, store::ProjectWebhookStore(ctx.db, ctx.clock).list(req.param("id")));
        Json items = Json::array();
        for (const auto& w : hooks) items.push_back(webhook_json(w));
        return Reply{200, list_body(std::move(items), std::nullopt)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/projects/{id}/webhooks", "project_webhooks.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "project"));
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(auto w, read_webhook(ctx, body, req.param("id"), p));
        OPZ_TRY(auto created, store::ProjectWebhookStore(ctx.db, ctx.clock).create(w));
        (void)ctx.audit.record({"project_webhook.created", "project_webhook", created.id,
                                p.user_id, Json{{"project_id", created.project_id},
                                                {"url", created.url}},
                                req.remote_addr});
        return Reply{201, webhook_json(created)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/projects/{id}/webhooks/{wid}", "project_webhooks.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("wid"), "webhook"));
        OPZ_TRY_STATUS(
            store::ProjectWebhookStore(ctx.db, ctx.clock).remove(req.param("id"), req.param("wid")));
        (void)ctx.audit.record({"project_webhook.deleted", "project_webhook", req.param("wid"),
                                p.user_id, Json{{"project_id", req.param("id")}},
                                req.remote_addr});
        return Reply{204, Json()};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/projects/{id}/webhooks/{wid}/deliveries", "project_webhooks.manage",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("wid"), "webhook"));
        store::ProjectWebhookStore hooks(ctx.db, ctx.clock);
        OPZ_TRY_STATUS(hooks.find(req.param("id"), req.param("wid")));
        OPZ_TRY(auto page,
                store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
        OPZ_TRY(auto list, hooks.deliveries(req.param("wid"), page));
        Json items = Json::array();
        for (const auto& d : list.items) items.push_back(delivery_json(d));
        return Reply{200, list_body(std::move(items), list.next_cursor)};
      }));
  return {};
}

}  // namespace

Status register_notification_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/notifications", "notifications.read",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(auto page,
                store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
        const std::string unread = req.query_or("unread", "false");
        OPZ_TRY_STATUS(check_one_of("unread", unread, {"true", "false"}));
        OPZ_TRY(auto list, store::NotificationStore(ctx.db, ctx.clock)
                               .list_for_user(p.user_id, unread == "true", page));
        Json items = Json::array();
        for (const auto& n : list.items) items.push_back(notification_json(n));
        return Reply{200, list_body(std::move(items), list.next_cursor)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/notifications/{id}/read", "notifications.manage_own",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "notification"));
        OPZ_TRY(auto n,
                store::NotificationStore(ctx.db, ctx.clock).mark_read(req.param("id"), p.user_id));
        return Reply{200, notification_json(n)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/notifications/read-all", "notifications.manage_own",
      [&ctx](http::Request&, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(int64_t n, store::NotificationStore(ctx.db, ctx.clock).mark_all_read(p.user_id));
        return Reply{200, Json{{"marked_read", n}}};
      }));
  // 000 Step 9: {"type", "target", "payload"}; target is a user id.
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/functions/v1/notify-event", "notifications.create",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"type", "target", "payload", "project_id"}));
        trigger::Notification n;
        OPZ_TRY(n.type, f.required_string("type", 64));
        OPZ_TRY_STATUS(check_event_name(n.type, "type"));
        OPZ_TRY(std::string target, f.required_string("target", 64));
        store::NotificationStore notifications(ctx.db, ctx.clock);
        OPZ_TRY(bool exists, notifications.user_exists(target));
        if (!exists) return Error::validation("no user with id " + target, "target");
        n.target_user_ids = {target};
        if (const Json* payload = f.get("payload")) {
          if (!payload->is_object())
            return Error::validation("'payload' must be an object", "payload");
          n.payload = *payload;
        }
        OPZ_TRY(auto project, f.optional_string("project_id", 64));
        if (project) {
          OPZ_TRY_STATUS(ctx.projects.find_project(*project));
          n.project_id = *project;
        }
        trigger::Notifier notifier(ctx.db, ctx.clock, nullptr, {});
        OPZ_TRY(auto written, ctx.db.write([&](store::SqlSession& tx)
                                               -> Result<std::vector<store::NotificationRecord>> {
          OPZ_TRY(auto rows, notifier.notify_in(tx, n));
          OPZ_TRY_STATUS(ctx.audit.record_in(tx, {"notification.created", "notification", target,
                                                  p.user_id, Json{{"type", n.type}},
                                                  req.remote_addr}));
          return rows;
        }));
        return Reply{201, notification_json(written.at(0))};
      }));
  return register_webhook_config_routes(r, ctx);
}

}  // namespace opz::api
