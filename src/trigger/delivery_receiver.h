// DeliveryReceiver: the first half of a GitHub webhook delivery — everything
// that must happen before the HTTP answer, and nothing more.
//
// Order (each step before anything is stored):
//   1. find the integration (IntegrationCache: no database read per
//      delivery under a flood): by the project id of the preferred URL
//      (/api/v1/webhooks/github/{project_id}: no byte of the body is parsed
//      before step 2), or by the body's repository.full_name (bounded parse,
//      github/repository_locator.h) for the generic URLs: then EVERY project
//      following that repository (a monorepo; trigger/delivery_targets.h);
//   2. verify X-Hub-Signature-256 over the raw body with each integration's
//      own secret (constant time); the projects it verifies for are the
//      delivery's targets, the others are listed as skipped with the reason;
//      none -> kUnauthenticated, counted by the first project's reason;
//   3. check the delivery headers (X-GitHub-Event, X-GitHub-Delivery), the
//      format (JSON, or a form's `payload` field: anything else is
//      kUnsupportedMedia) and that the body is a JSON object -> kMalformed;
//   4. parse the event (github::parse_webhook_json, once) and decide what
//      can be decided without the database: a payload that is not the event
//      it claims is stored `rejected` and answered 422 naming the field; one
//      about another repository than the integration's is stored `ignored`
//      with the reason (202; with several projects, only when it is about
//      none of theirs); one for a single project that its rules say starts
//      nothing (trigger/intake_outcome.h: a push to a branch no rule maps,
//      a deleted branch, an event Opzenix does not handle; the rules from
//      MapperCache) is stored `ignored` with the reason the worker would have
//      given; anything else is stored `pending`, in one transaction; a GUID
//      stored before answers 200 {"duplicate": true} and nothing else
//      happens;
//   5. hand a new pending delivery's id, its row as stored and its parsed
//      event to `enqueue` (the processing worker, which then neither reads
//      the row back nor parses anything again) and answer 202
//      {"delivery_id": ...} (ping also echoes zen and hook_id).
// Steps 1-3 run on the caller's thread; step 5 runs once step 4's commit is
// done, without any thread waiting for it. Rejections store nothing; they
// count in opzenix_webhook_deliveries_rejected_total{reason}. Thread-safe:
// any number of HTTP threads may call receive_async() at once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/json.h"
#include "core/result.h"
#include "github/webhook_event.h"
#include "secrets/secret_box.h"
#include "store/github_store.h"
#include "store/webhook_delivery_store.h"
#include "trigger/arrived_delivery.h"
#include "trigger/integration_cache.h"
#include "trigger/mapper_cache.h"
#include "trigger/trigger_metrics.h"

namespace opz::trigger {

// GitHub documents a 25 MB payload cap; we take it as decimal megabytes.
inline constexpr size_t kMaxDeliveryBytes = 25'000'000;

// How the body is encoded, from its Content-Type (classified by the HTTP
// layer, which knows media types): GitHub sends application/json, or
// application/x-www-form-urlencoded with the JSON in a `payload` field.
enum class PayloadFormat { kJson, kForm, kUnsupported };

struct IncomingDelivery {
  std::string project_id;  // from the preferred URL; empty: locate by repository
  std::string event;       // X-GitHub-Event
  std::string guid;        // X-GitHub-Delivery
  std::string signature;   // X-Hub-Signature-256 ("" when absent)
  PayloadFormat format = PayloadFormat::kJson;
  std::string content_type;  // as sent (for messages only)
  Json headers = Json::object();  // the headers worth keeping with the delivery
  std::string body;               // raw bytes as received
};

// Where a stored pending delivery goes: its id, its row and its parsed event.
using DeliveryQueue =
    std::function<void(const std::string& id, std::shared_ptr<const ArrivedDelivery> arrived)>;

struct ReceiveAnswer {
  int status = 202;
  Json body = Json::object();
};

// The label a rejected signature counts under: missing | sha1_only |
// malformed | mismatch.
std::string signature_problem(std::string_view header_value);

// The JSON of a form-encoded delivery: its `payload` field, decoded.
// kMalformed naming "payload" (or "body" for a form that does not decode).
Result<std::string> form_payload(std::string_view form);

class DeliveryReceiver {
 public:
  // Without `mappers`, every delivery that step 4 does not settle is queued
  // for the worker (which then applies the rules).
  DeliveryReceiver(IntegrationCache& integrations, store::WebhookDeliveryStore& deliveries,
                   const secrets::SecretBox& box, TriggerMetrics& metrics, DeliveryQueue enqueue,
                   MapperCache* mappers = nullptr);

  // Never blocks (it runs on HTTP I/O threads): steps 1-4 run now, on the
  // caller's thread (a reader query at most on an integration cache miss,
  // and one on a MapperCache miss); the store is queued
  // (WebhookDeliveryStore::insert_async) and `done` gets the answer once the
  // delivery is durable, on the database's thread. `done` may also be called
  // before this returns (a rejection).
  void receive_async(IncomingDelivery delivery, std::function<void(Result<ReceiveAnswer>)> done);

 private:
  // A verified delivery ready to store, and the answer's fields beyond its id.
  struct Prepared {
    store::DeliveryRecord record;
    Json answer = Json::object();
    // A pending delivery's row (no body) and parsed event, for the worker;
    // null otherwise.
    std::shared_ptr<ArrivedDelivery> arrived;
    // The error to answer once stored (a rejected payload), instead of 202.
    std::optional<Error> refusal;
  };
  Result<Prepared> prepare(IncomingDelivery d);
  // Step 5, once stored: the answer, metrics, and the worker's queue.
  ReceiveAnswer stored(Prepared& prepared, const store::InsertedDelivery& stored);
  // The integrations the delivery may be for: the preferred URL's project,
  // or every project following the payload's repository.
  // `json_text`: the payload's JSON (the body, or a form's payload field).
  Result<std::vector<store::GithubIntegrationRecord>> locate(const IncomingDelivery& d,
                                                             std::string_view json_text);
  // Why `integration`'s secret does not verify the delivery; nullopt when it does.
  struct Fault {
    std::string label;        // opzenix_webhook_deliveries_rejected_total{reason}
    std::string skip_reason;  // in the outcome of a delivery other projects took
    Error error;              // the answer when no project's secret verifies it
  };
  std::optional<Fault> signature_fault(const store::GithubIntegrationRecord& integration,
                                       const IncomingDelivery& d) const;
  Error reject(const std::string& reason, Error error);
  // Why a delivery for one project starts nothing by that project's rules
  // (trigger/intake_outcome.h); nullopt: the worker decides.
  std::optional<std::string> ignored_by_rules(
      const github::WebhookEvent& event,
      const std::vector<const store::GithubIntegrationRecord*>& verified,
      const DeliveryTargets& targets);

  IntegrationCache& integrations_;
  store::WebhookDeliveryStore& deliveries_;
  const secrets::SecretBox& box_;
  TriggerMetrics& metrics_;
  DeliveryQueue enqueue_;
  MapperCache* mappers_;
};

}  // namespace opz::trigger
