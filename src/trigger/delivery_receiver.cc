#include "trigger/delivery_receiver.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <optional>

#include "core/form_encoding.h"
#include "core/git_ref_name.h"
#include "github/repository_locator.h"
#include "github/signature.h"
#include "github/trigger_decision.h"
#include "github/webhook_event.h"
#include "trigger/intake_outcome.h"
#include "trigger/integration_repository.h"

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

// Splits the verified projects into those the event's repository is theirs
// (targets.project_ids) and the others (targets.skipped, with the reason).
// The first reason when none is left, else nullopt.
std::optional<std::string> split_by_repository(
    const std::vector<const store::GithubIntegrationRecord*>& verified,
    const github::WebhookEvent& event, DeliveryTargets& targets) {
  std::optional<std::string> first;
  for (const store::GithubIntegrationRecord* g : verified) {
    if (auto mismatch = repository_mismatch(*g, event)) {
      targets.skipped.push_back("project " + g->project_id + ": " + *mismatch);
      if (!first) first = std::move(mismatch);
    } else {
      targets.project_ids.push_back(g->project_id);
    }
  }
  if (targets.project_ids.empty()) return first;
  return std::nullopt;
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
                                   DeliveryQueue enqueue, MapperCache* mappers)
    : integrations_(integrations),
      deliveries_(deliveries),
      box_(box),
      metrics_(metrics),
      enqueue_(std::move(enqueue)),
      mappers_(mappers) {}

Error DeliveryReceiver::reject(const std::string& reason, Error error) {
  metrics_.rejected(reason);
  spdlog::info("webhook: delivery rejected ({}): {}", reason, error.message);
  return error;
}

std::optional<std::string> DeliveryReceiver::ignored_by_rules(
    const github::WebhookEvent& event,
    const std::vector<const store::GithubIntegrationRecord*>& verified,
    const DeliveryTargets& targets) {
  if (!mappers_ || targets.project_ids.size() != 1 || targets.fan_out()) return std::nullopt;
  const std::string& project_id = targets.project_ids.front();
  const store::GithubIntegrationRecord* integration = nullptr;
  for (const store::GithubIntegrationRecord* g : verified)
    if (g->project_id == project_id) integration = g;
  if (!integration) return std::nullopt;
  auto mapper = mappers_->for_project(project_id);
  if (!mapper) return std::nullopt;  // the worker reads the rules itself
  return ignored_at_intake(event, github::should_trigger(event), integration->path_filters,
                           (*mapper)->mapper);
}

Result<std::string> form_payload(std::string_view form) {
  auto fields = parse_form(form);
  if (!fields) return Error::malformed(fields.error().message, "body");
  auto payload = fields->find("payload");
  if (payload == fields->end())
    return Error::malformed("the form-encoded delivery has no 'payload' field", "payload");
  return std::move(payload->second);
}

Result<std::vector<store::GithubIntegrationRecord>> DeliveryReceiver::locate(
    const IncomingDelivery& d, std::string_view json_text) {
  if (!d.project_id.empty()) {
    auto found = integrations_.by_project(d.project_id);
    if (!found) {
      if (found.error().is_not_found()) return reject("unknown_project", found.error());
      return found.error();
    }
    return std::vector<store::GithubIntegrationRecord>{std::move(found).value()};
  }
  auto full_name = github::extract_repository_full_name(json_text, kMaxDeliveryBytes);
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
      integrations_.all_by_repository(full_name->substr(0, slash), full_name->substr(slash + 1));
  if (!found && found.error().is_not_found()) return reject("unknown_repository", found.error());
  return found;
}

std::optional<DeliveryReceiver::Fault> DeliveryReceiver::signature_fault(
    const store::GithubIntegrationRecord& integration, const IncomingDelivery& d) const {
  if (integration.webhook_secret_sealed.empty())
    return Fault{"no_secret", "it has no webhook secret",
                 Error::unauthenticated("the project's GitHub integration has no "
                                        "webhook secret; set one first")};
  auto secret = box_.open(integration.webhook_secret_sealed);
  if (!secret)
    return Fault{"secret_unreadable", "its stored webhook secret cannot be decrypted",
                 Error::internal("the stored webhook secret cannot be decrypted (was "
                                 "secret.key replaced?)")};
  Status verified = github::verify_signature(*secret, d.body, d.signature);
  if (!verified.ok())
    return Fault{signature_problem(d.signature),
                 "the signature does not verify with its webhook secret", verified.error()};
  return std::nullopt;
}

Result<DeliveryReceiver::Prepared> DeliveryReceiver::prepare(IncomingDelivery d) {
  if (d.body.size() > kMaxDeliveryBytes)
    return reject("too_large", Error::too_large("webhook payloads are limited to 25 MB"));
  if (d.format == PayloadFormat::kUnsupported)
    return reject("unsupported_media",
                  Error::unsupported_media(
                      "Content-Type must be application/json or "
                      "application/x-www-form-urlencoded (GitHub's two delivery formats), got '" +
                      printable(d.content_type, 100) + "'"));
  // A form delivery carries its JSON in the `payload` field; decoded now (the
  // generic URLs find the repository in it), trusted only once verified.
  std::optional<Result<std::string>> form_json;
  if (d.format == PayloadFormat::kForm) form_json = form_payload(d.body);
  const std::string_view json_text =
      form_json ? (*form_json ? std::string_view(**form_json) : std::string_view()) : d.body;
  OPZ_TRY(std::vector<store::GithubIntegrationRecord> candidates, locate(d, json_text));
  // Each project's own secret: a body signed for one project never reaches
  // another that follows the same repository.
  std::vector<const store::GithubIntegrationRecord*> verified;
  DeliveryTargets targets;
  std::optional<Fault> first_fault;
  for (const store::GithubIntegrationRecord& g : candidates) {
    if (auto fault = signature_fault(g, d)) {
      targets.skipped.push_back("project " + g.project_id + ": " + fault->skip_reason);
      if (!first_fault) first_fault = std::move(fault);
    } else {
      verified.push_back(&g);
    }
  }
  if (verified.empty()) return reject(first_fault->label, first_fault->error);

  // From here on the body is GitHub's (or whoever holds the secret).
  if (!valid_event_name(d.event))
    return reject("bad_headers", Error::malformed("the X-GitHub-Event header is missing or "
                                                  "invalid",
                                                  "X-GitHub-Event"));
  if (!valid_guid(d.guid))
    return reject("bad_headers", Error::malformed("the X-GitHub-Delivery header is missing or "
                                                  "invalid",
                                                  "X-GitHub-Delivery"));
  if (form_json) {
    // The signature covered the form; what is stored and parsed is its JSON.
    if (!*form_json) return reject("invalid_form", form_json->error());
    d.body = std::move(**form_json);
  }
  // Parsed once, here (only the members Opzenix reads are built); the worker
  // gets the typed event with the id.
  auto event = github::parse_webhook_event(d.event, d.body);
  if (!event && event.error().code != ErrorCode::kValidation)
    return reject("invalid_json", event.error());  // not JSON at all: 400, nothing stored

  Prepared p;
  store::DeliveryRecord& record = p.record;
  if (event) record.action = event->action.substr(0, 100);
  std::optional<std::string> ignored;
  if (event) {
    ignored = split_by_repository(verified, *event, targets);
    if (!ignored) ignored = ignored_by_rules(*event, verified, targets);
  }
  if (!event) {
    // Signed, well-formed JSON that is not the event it claims: kept, so the
    // deliveries list shows it, and answered 422 naming the field.
    record.outcome = "rejected";
    record.outcome_reason = event.error().message;
    p.refusal = Error::validation(event.error().message, event.error().field);
  } else if (ignored) {
    record.outcome = "ignored";
    record.outcome_reason = *ignored;
    p.answer["outcome"] = "ignored";
    p.answer["reason"] = std::move(*ignored);
  } else {
    if (const github::PingEvent* ping = event->ping()) {
      p.answer["zen"] = ping->zen;
      p.answer["hook_id"] = ping->hook_id;
    }
    p.arrived = std::make_shared<ArrivedDelivery>();
    p.arrived->event = std::move(event).value();
  }
  p.answer["event"] = d.event;
  record.delivery_guid = std::move(d.guid);
  record.project_id =
      targets.project_ids.empty() ? verified.front()->project_id : targets.project_ids.front();
  if (targets.fan_out()) {
    p.answer["projects"] = targets.project_ids;
    p.answer["skipped"] = targets.skipped;
    d.headers[std::string(kTargetsKey)] = targets.to_json();
  }
  if (p.arrived) p.arrived->targets = targets;
  record.event = std::move(d.event);
  record.signature_valid = true;
  if (p.arrived) p.arrived->record = record;  // before the headers and body: never needed
  record.headers = std::move(d.headers);
  record.body = std::move(d.body);
  return p;
}

ReceiveAnswer DeliveryReceiver::stored(Prepared& p, const store::InsertedDelivery& stored) {
  ReceiveAnswer out;
  if (stored.duplicate) {
    metrics_.duplicate();
    out.status = 200;
    out.body["delivery_id"] = stored.id;
    out.body["duplicate"] = true;
    return out;
  }
  metrics_.received(event_label(p.record.event));
  if (p.record.outcome != "pending") metrics_.processed(p.record.outcome);
  out.status = 202;
  out.body = std::move(p.answer);
  out.body["delivery_id"] = stored.id;
  if (p.arrived && enqueue_) {
    p.arrived->record.id = stored.id;
    p.arrived->record.received_at = stored.received_at;
    enqueue_(stored.id, std::move(p.arrived));
  }
  return out;
}

void DeliveryReceiver::receive_async(IncomingDelivery d,
                                     std::function<void(Result<ReceiveAnswer>)> done) {
  auto p = prepare(std::move(d));
  if (!p) return done(p.error());
  auto prepared = std::make_shared<Prepared>(std::move(p).value());
  // The row is built from the record; the body is moved, not copied.
  store::DeliveryRecord record = std::move(prepared->record);
  prepared->record.event = record.event;
  prepared->record.outcome = record.outcome;
  deliveries_.insert_async(std::move(record), [this, prepared, done = std::move(done)](
                                                  Result<store::InsertedDelivery> r) mutable {
    if (!r) return done(r.error());
    ReceiveAnswer answer = stored(*prepared, *r);
    if (prepared->refusal && !r->duplicate) return done(*prepared->refusal);
    done(std::move(answer));
  });
}

}  // namespace opz::trigger
