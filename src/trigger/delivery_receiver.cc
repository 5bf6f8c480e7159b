#include "trigger/delivery_receiver.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <optional>

#include "github/repository_locator.h"
#include "github/signature.h"
#include "github/webhook_event.h"

namespace opz::trigger {

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// GitHub's GUIDs are UUIDs; accept any short token of safe characters.
bool valid_guid(std::string_view g) {
  if (g.empty() || g.size() > 100) return false;
  for (char c : g) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool valid_event_name(std::string_view e) {
  if (e.empty() || e.size() > 64) return false;
  for (char c : e)
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  return true;
}

// A bounded metric label for an event name.
std::string event_label(std::string_view event) {
  for (std::string_view known :
       {"ping", "push", "pull_request", "create", "release", "workflow_run"}) {
    if (event == known) return std::string(known);
  }
  return "other";
}

}  // namespace

std::string signature_problem(std::string_view header_value) {
  const std::string v = trim(header_value);
  if (v.empty()) return "missing";
  if (starts_with_ci(v, "sha1=")) return "sha1_only";
  if (!starts_with_ci(v, "sha256=") || v.size() != 7 + 64) return "malformed";
  for (char c : std::string_view(v).substr(7)) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return "malformed";
  }
  return "mismatch";
}

DeliveryReceiver::DeliveryReceiver(IntegrationCache& integrations,
                                   store::WebhookDeliveryStore& deliveries,
                                   const secrets::SecretBox& box, TriggerMetrics& metrics,
                                   std::function<void(const std::string&)> enqueue)
    : integrations_(integrations),
      deliveries_(deliveries),
      box_(box),
      metrics_(metrics),
      enqueue_(std::move(enqueue)) {}

Error DeliveryReceiver::reject(const std::string& reason, Error error) {
  metrics_.rejected(reason);
  spdlog::info("webhook: delivery rejected ({}): {}", reason, error.message);
  return error;
}

Result<store::GithubIntegrationRecord> DeliveryReceiver::locate(const IncomingDelivery& d) {
  if (!d.project_id.empty()) {
    auto found = integrations_.by_project(d.project_id);
    if (!found && found.error().is_not_found()) return reject("unknown_project", found.error());
    return found;
  }
  auto full_name = github::extract_repository_full_name(d.body, kMaxDeliveryBytes);
  if (!full_name) {
    if (full_name.error().code == ErrorCode::kTooLarge)
      return reject("too_large", full_name.error());
    return reject("unverifiable",
                  Error::unauthenticated("cannot verify this delivery: its body names no "
                                         "repository (" +
                                         full_name.error().message +
                                         "); use /api/v1/webhooks/github/<project_id>"));
  }
  const size_t slash = full_name->find('/');
  auto found =
      integrations_.by_repository(full_name->substr(0, slash), full_name->substr(slash + 1));
  if (!found && found.error().is_not_found()) return reject("unknown_repository", found.error());
  return found;
}

Status DeliveryReceiver::verify(const store::GithubIntegrationRecord& integration,
                                const IncomingDelivery& d) {
  if (integration.webhook_secret_sealed.empty())
    return reject("no_secret", Error::unauthenticated("the project's GitHub integration has no "
                                                      "webhook secret; set one first"));
  auto secret = box_.open(integration.webhook_secret_sealed);
  if (!secret)
    return reject("secret_unreadable",
                  Error::internal("the stored webhook secret cannot be decrypted (was "
                                  "secret.key replaced?)"));
  Status verified = github::verify_signature(*secret, d.body, d.signature);
  if (!verified.ok()) return reject(signature_problem(d.signature), verified.error());
  return {};
}

Result<DeliveryReceiver::Prepared> DeliveryReceiver::prepare(IncomingDelivery d) {
  if (d.body.size() > kMaxDeliveryBytes)
    return reject("too_large", Error::too_large("webhook payloads are limited to 25 MB"));
  OPZ_TRY(store::GithubIntegrationRecord integration, locate(d));
  OPZ_TRY_STATUS(verify(integration, d));

  // From here on the body is GitHub's (or whoever holds the secret).
  if (!valid_event_name(d.event))
    return reject("bad_headers", Error::malformed("the X-GitHub-Event header is missing or "
                                                  "invalid",
                                                  "X-GitHub-Event"));
  if (!valid_guid(d.guid))
    return reject("bad_headers", Error::malformed("the X-GitHub-Delivery header is missing or "
                                                  "invalid",
                                                  "X-GitHub-Delivery"));
  if (starts_with_ci(d.content_type, "application/x-www-form-urlencoded"))
    return reject("form_encoded",
                  Error::unsupported_media("form-encoded deliveries are not accepted: set the "
                                           "webhook's content type to application/json"));
  auto parsed = parse_json(d.body);
  if (!parsed) return reject("invalid_json", parsed.error());
  if (!parsed->is_object())
    return reject("invalid_json", Error::malformed("the payload is not a JSON object", "body"));

  Prepared p;
  p.answer["event"] = d.event;
  if (d.event == "ping") {
    if (auto ping = github::parse_webhook_json("ping", *parsed); ping && ping->ping()) {
      p.answer["zen"] = ping->ping()->zen;
      p.answer["hook_id"] = ping->ping()->hook_id;
    }
  }
  store::DeliveryRecord& record = p.record;
  record.delivery_guid = std::move(d.guid);
  record.project_id = integration.project_id;
  record.event = std::move(d.event);
  if (auto it = parsed->find("action"); it != parsed->end() && it->is_string())
    record.action = it->get<std::string>().substr(0, 100);
  record.signature_valid = true;
  record.headers = std::move(d.headers);
  record.body = std::move(d.body);
  return p;
}

ReceiveAnswer DeliveryReceiver::stored(Json answer, const store::InsertedDelivery& stored,
                                       const std::string& event) {
  ReceiveAnswer out;
  if (stored.duplicate) {
    metrics_.duplicate();
    out.status = 200;
    out.body["delivery_id"] = stored.id;
    out.body["duplicate"] = true;
    return out;
  }
  metrics_.received(event_label(event));
  out.status = 202;
  out.body = std::move(answer);
  out.body["delivery_id"] = stored.id;
  if (enqueue_) enqueue_(stored.id);
  return out;
}

void DeliveryReceiver::receive_async(IncomingDelivery d,
                                     std::function<void(Result<ReceiveAnswer>)> done) {
  auto p = prepare(std::move(d));
  if (!p) return done(p.error());
  std::string event = p->record.event;
  deliveries_.insert_async(std::move(p->record),
                           [this, answer = std::move(p->answer), event = std::move(event),
                            done = std::move(done)](Result<store::InsertedDelivery> r) mutable {
                             if (!r) return done(r.error());
                             done(stored(std::move(answer), *r, event));
                           });
}

}  // namespace opz::trigger
