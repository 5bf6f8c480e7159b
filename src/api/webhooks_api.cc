// GitHub webhooks (docs/webhooks.md):
//   POST /api/v1/webhooks/github/{project_id}   preferred: the signature is
//                                               verified before any parsing
//   POST /api/v1/webhooks/github                the integration is found from
//   POST /functions/v1/github-webhook           repository.full_name (seed alias)
//   GET  /api/v1/webhooks/deliveries            webhooks.read; ?project_id,
//                                               event, outcome, cursor, limit,
//                                               include_body=true (admins)
//   GET  /api/v1/webhooks/deliveries/{id}       webhooks.read
//   POST /api/v1/webhooks/deliveries/{id}/replay webhooks.replay (admins)
// The receiving routes are public (authenticated by the HMAC signature) and
// accept bodies up to 25,000,000 bytes.
#include <strings.h>

#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "auth/role.h"
#include "core/json_optional.h"
#include "http/media_type.h"
#include "trigger/trigger_service.h"

namespace opz::api {

namespace {

// Headers kept with a delivery (never Authorization or cookies).
constexpr std::string_view kKeptHeaders[] = {
    "X-GitHub-Event",
    "X-GitHub-Delivery",
    "X-GitHub-Hook-ID",
    "X-GitHub-Hook-Installation-Target-ID",
    "X-GitHub-Hook-Installation-Target-Type",
    "X-Hub-Signature-256",
    "User-Agent",
    "Content-Type",
    "Content-Length",
};

Json kept_headers(const http::Request& req) {
  Json out = Json::object();
  for (std::string_view name : kKeptHeaders) {
    if (req.headers.has(name))
      out[std::string(name)] = std::string(req.header(name).substr(0, 512));
  }
  return out;
}

// Verifies on the I/O thread, answers once the delivery is durable.
void receive(ApiContext& ctx, http::Request& req, const std::string& project_id, ReplyLater reply) {
  if (!ctx.triggers) return reply(Error::unavailable("webhook triggers are not running"));
  // GitHub's two delivery formats; the signature covers the raw body of either.
  const std::string_view content_type = req.header("Content-Type");
  trigger::IncomingDelivery d;
  d.format = http::is_json_media_type(content_type)   ? trigger::PayloadFormat::kJson
             : http::is_form_media_type(content_type) ? trigger::PayloadFormat::kForm
                                                      : trigger::PayloadFormat::kUnsupported;
  d.content_type = std::string(content_type.substr(0, 200));
  d.project_id = project_id;
  d.event = std::string(req.header("X-GitHub-Event"));
  d.guid = std::string(req.header("X-GitHub-Delivery"));
  d.signature = std::string(req.header("X-Hub-Signature-256"));
  d.headers = kept_headers(req);
  d.body = std::move(req.body);
  ctx.triggers->receive_async(std::move(d),
                              [reply = std::move(reply)](Result<trigger::ReceiveAnswer> answer) {
                                if (!answer) return reply(answer.error());
                                reply(Reply{answer->status, std::move(answer->body)});
                              });
}

Json delivery_json(const store::DeliveryRecord& d, bool with_body) {
  Json j = {{"id", d.id},
            {"delivery_guid", d.delivery_guid},
            {"project_id", string_or_null(d.project_id)},
            {"event", d.event},
            {"action", string_or_null(d.action)},
            {"signature_valid", d.signature_valid},
            {"headers", d.headers},
            {"body_bytes", d.body_bytes},
            {"received_at", d.received_at},
            {"processed_at", string_or_null(d.processed_at)},
            {"outcome", d.outcome},
            {"outcome_reason", string_or_null(d.outcome_reason)},
            // The same text under the name an ignored delivery's 202 answer uses.
            {"reason", string_or_null(d.outcome_reason)},
            {"execution_id", string_or_null(d.execution_id)},
            {"replay_of", string_or_null(d.replay_of)}};
  if (with_body) j["body"] = d.body;
  return j;
}

// ?include_body=true is for admins only: bodies may carry private code details.
Result<bool> include_body(const http::Request& req, const auth::Principal& p) {
  const std::string v = req.query_or("include_body");
  if (v.empty() || v == "false") return false;
  if (v != "true") return Error::validation("include_body must be true or false", "include_body");
  if (p.role != auth::Role::kAdmin)
    return Error::forbidden("only admins may read webhook delivery bodies");
  return true;
}

}  // namespace

Status register_webhook_routes(http::Router& r, ApiContext& ctx) {
  // On the I/O thread: verifying is CPU work and one reader query, and the
  // store is queued (write_async), so no thread waits for the commit.
  LaterOptions receiving;
  receiving.max_body = trigger::kMaxDeliveryBytes;
  receiving.on_io_thread = true;
  OPZ_TRY_STATUS(add_public_later(
      r, "POST", "/api/v1/webhooks/github/{project_id}",
      [&ctx](http::Request& req, ReplyLater reply) {
        const std::string project_id = req.param("project_id");
        if (Status id = check_id(project_id, "project"); !id.ok()) return reply(id.error());
        receive(ctx, req, project_id, std::move(reply));
      },
      receiving));
  for (const char* path : {"/api/v1/webhooks/github", "/functions/v1/github-webhook"}) {
    OPZ_TRY_STATUS(add_public_later(
        r, "POST", path,
        [&ctx](http::Request& req, ReplyLater reply) { receive(ctx, req, "", std::move(reply)); },
        receiving));
  }

  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/webhooks/deliveries", "webhooks.read",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        if (!ctx.triggers) return Error::unavailable("webhook triggers are not running");
        OPZ_TRY(bool with_body, include_body(req, p));
        OPZ_TRY(auto page,
                store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
        store::DeliveryFilter filter;
        filter.project_id = req.query_or("project_id");
        if (!filter.project_id.empty()) OPZ_TRY_STATUS(check_id(filter.project_id, "project"));
        filter.event = req.query_or("event").substr(0, 64);
        filter.outcome = req.query_or("outcome");
        if (!filter.outcome.empty())
          OPZ_TRY_STATUS(check_one_of("outcome", filter.outcome,
                                      {"pending", "processed", "ignored", "rejected", "failed"}));
        OPZ_TRY(auto list, ctx.triggers->deliveries().list(filter, page, with_body));
        Json items = Json::array();
        for (const auto& d : list.items) items.push_back(delivery_json(d, with_body));
        return Reply{200, list_body(std::move(items), list.next_cursor)};
      }));
  OPZ_TRY_STATUS(
      add_endpoint(r, ctx, "GET", "/api/v1/webhooks/deliveries/{id}", "webhooks.read",
                   [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
                     if (!ctx.triggers)
                       return Error::unavailable("webhook triggers are not running");
                     OPZ_TRY_STATUS(check_id(req.param("id"), "webhook delivery"));
                     OPZ_TRY(bool with_body, include_body(req, p));
                     OPZ_TRY(auto d, ctx.triggers->deliveries().find(req.param("id"), with_body));
                     return Reply{200, delivery_json(d, with_body)};
                   }));
  OPZ_TRY_STATUS(
      add_endpoint(r, ctx, "POST", "/api/v1/webhooks/deliveries/{id}/replay", "webhooks.replay",
                   [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
                     if (!ctx.triggers)
                       return Error::unavailable("webhook triggers are not running");
                     const std::string id = req.param("id");
                     OPZ_TRY_STATUS(check_id(id, "webhook delivery"));
                     OPZ_TRY(auto replayed, ctx.triggers->replay(id));
                     const auto& [new_id, result] = replayed;
                     (void)ctx.audit.record({"webhook.replayed", "webhook_delivery", id, p.user_id,
                                             Json{{"replay_delivery_id", new_id},
                                                  {"outcome", result.outcome},
                                                  {"execution_id", result.execution_id}},
                                             req.remote_addr});
                     OPZ_TRY(auto d, ctx.triggers->deliveries().find(new_id, false));
                     Json body = delivery_json(d, false);
                     return Reply{201, std::move(body)};
                   }));
  return {};
}

}  // namespace opz::api
