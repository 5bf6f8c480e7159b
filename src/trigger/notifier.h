// Notifier: tells people and systems what governance did.
//
//   notify_in(tx, n)  writes one notification_events row per target user and
//                     queues one delivery per enabled webhook of the project
//                     subscribed to n.type, in the caller's transaction (so
//                     they commit with the change they describe);
//   approval_requested_in(tx, request)
//                     the same for "approval requested", targeted at every
//                     eligible approver (operators and admins, or the named
//                     reviewers; never the requester or pusher when
//                     self-approval is forbidden), and marks it notified;
//   the sender thread (start/stop) posts due deliveries: the stored body
//                     verbatim, signed as X-Opzenix-Signature-256:
//                     sha256=<hex HMAC-SHA256 of the body under the webhook's
//                     secret>; a 2xx answer delivers it, anything else is
//                     retried with exponential backoff (core/backoff.h) until
//                     max_attempts, each attempt logged on the delivery row.
//                     Each pass also notifies approval requests nobody was
//                     told about yet (the engine's approval nodes create
//                     theirs without a Notifier).
//
// Event types: approval_requested, approval_decided, execution_blocked,
// execution_failed, execution_finished, deployment_complete, deployment_failed,
// deployment_rolled_back, advisory_opened, advisory_resolved (the advisory
// scan; api/advisory_scan.cc) (and any type
// POST /functions/v1/notify-event is given). Slack webhooks get
// {"text": "..."}, others {"event", "project_id", "payload", "created_at"}.
//
// Time comes from the injected Clock (due times, backoff); the thread waits
// on a condition variable for wake(), stop() or poll_interval, so tests drive
// send_due() by hand with a ManualClock and a recording SendFn.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "net/outbound_guard.h"
#include "secrets/secret_box.h"
#include "store/approval_store.h"
#include "store/database.h"
#include "store/notification_store.h"
#include "store/project_webhook_store.h"

namespace opz::trigger {

struct Notification {
  std::string type;                     // "approval_decided", ...
  std::vector<std::string> target_user_ids;
  std::string project_id;               // empty: no webhooks
  Json payload = Json::object();
  std::string text;                     // one line for people (Slack); derived when empty
};

struct OutgoingRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Posts one request; answers the HTTP status, or an error when no answer came.
using WebhookSendFn = std::function<Result<int>(const OutgoingRequest&)>;

// A SendFn over libcurl (github::HttpTransport). With `guard` (not owned;
// outlives the sender) every webhook URL is checked and pinned by the
// outbound guard; a refused URL answers the guard's kValidation error (the
// delivery records it) and is never connected to.
WebhookSendFn http_webhook_sender(const net::OutboundGuard* guard = nullptr);

struct NotifierOptions {
  int max_attempts = 6;
  Millis initial_backoff{2000};
  Millis max_backoff{60000};
  Millis poll_interval{1000};  // real time between passes when nobody calls wake()
  int batch = 50;
};

inline constexpr std::string_view kWebhookSignatureHeader = "X-Opzenix-Signature-256";

class Notifier {
 public:
  // `box` opens webhook secrets (null: deliveries fail with "no secret box").
  Notifier(store::Database& db, const Clock& clock, const secrets::SecretBox* box,
           WebhookSendFn send, NotifierOptions options = {});
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Answers the notification rows written (one per target user).
  Result<std::vector<store::NotificationRecord>> notify_in(store::SqlSession& tx,
                                                           const Notification& n);
  Status notify(const Notification& n);
  Status approval_requested_in(store::SqlSession& tx, const store::ApprovalRecord& request);

  void start();
  void stop();  // idempotent; joins the thread
  void wake();

  // One pass (what the thread does): notifies unnotified approval requests,
  // then attempts every due delivery. Answers the number of attempts.
  Result<int> send_due();

 private:
  Status attempt(const store::DueWebhookDelivery& due);
  void run();

  store::Database& db_;
  const Clock& clock_;
  const secrets::SecretBox* box_;
  WebhookSendFn send_;
  NotifierOptions options_;
  store::NotificationStore notifications_;
  store::ProjectWebhookStore webhooks_;
  store::ApprovalStore approvals_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

// The body a webhook of `format` ("opzenix" | "slack") receives for `n`.
std::string webhook_body(const std::string& format, const Notification& n,
                         const std::string& created_at);

}  // namespace opz::trigger
