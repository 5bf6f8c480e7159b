#include "trigger/notifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/backoff.h"
#include "core/time_format.h"
#include "github/http_transport.h"
#include "github/signature.h"
#include "trigger/approval_records.h"

namespace opz::trigger {

namespace {

std::string derive_text(const Notification& n) {
  if (!n.text.empty()) return n.text;
  std::string text = "[Opzenix] " + n.type;
  for (const char* key : {"environment", "execution_id", "status", "reason"}) {
    if (n.payload.contains(key) && n.payload[key].is_string() &&
        !n.payload[key].get<std::string>().empty())
      text += std::string(" ") + key + "=" + n.payload[key].get<std::string>();
  }
  return text;
}

bool subscribed(const store::ProjectWebhookRecord& w, const std::string& type) {
  if (!w.events.is_array() || w.events.empty()) return true;
  return std::any_of(w.events.begin(), w.events.end(),
                     [&](const Json& e) { return e.is_string() && e.get<std::string>() == type; });
}

}  // namespace

std::string webhook_body(const std::string& format, const Notification& n,
                         const std::string& created_at) {
  if (format == "slack") return Json{{"text", derive_text(n)}}.dump();
  return Json{{"event", n.type},
              {"project_id", n.project_id},
              {"payload", n.payload},
              {"created_at", created_at}}
      .dump();
}

WebhookSendFn http_webhook_sender(const net::OutboundGuard* guard) {
  github::HttpTransportOptions options;
  options.guard = guard;
  options.guarded_field = "url";
  return [transport = github::HttpTransport(options)](const OutgoingRequest& r) -> Result<int> {
    github::HttpRequest req;
    req.method = "POST";
    req.url = r.url;
    req.headers = r.headers;
    req.body = r.body;
    OPZ_TRY(github::HttpResponse res, transport.send(req));
    return static_cast<int>(res.status);
  };
}

Notifier::Notifier(store::Database& db, const Clock& clock, const secrets::SecretBox* box,
                   WebhookSendFn send, NotifierOptions options)
    : db_(db),
      clock_(clock),
      box_(box),
      send_(std::move(send)),
      options_(options),
      notifications_(db, clock),
      webhooks_(db, clock),
      approvals_(db, clock) {}

Notifier::~Notifier() { stop(); }

Result<std::vector<store::NotificationRecord>> Notifier::notify_in(store::SqlSession& tx,
                                                                   const Notification& n) {
  std::vector<store::NotificationRecord> written;
  for (const std::string& user : n.target_user_ids) {
    store::NotificationRecord row;
    row.type = n.type;
    row.target_user_id = user;
    row.project_id = n.project_id;
    row.payload = n.payload;
    OPZ_TRY(auto created, notifications_.create_in(tx, std::move(row)));
    written.push_back(std::move(created));
  }
  if (!n.project_id.empty()) {
    OPZ_TRY(auto hooks, webhooks_.enabled_in(tx, n.project_id));
    const std::string now = format_time(clock_.now());
    for (const auto& w : hooks) {
      if (!subscribed(w, n.type)) continue;
      OPZ_TRY_STATUS(webhooks_.enqueue_in(tx, w.id, n.type, webhook_body(w.format, n, now)));
    }
    if (!hooks.empty()) wake();
  }
  return written;
}

Status Notifier::notify(const Notification& n) {
  return db_.write([&](store::SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(notify_in(tx, n));
    return {};
  });
}

Status Notifier::approval_requested_in(store::SqlSession& tx,
                                       const store::ApprovalRecord& request) {
  Notification n;
  n.type = "approval_requested";
  n.project_id = request.project_id;
  n.payload = Json{{"approval_request_id", request.id},
                   {"execution_id", request.execution_id},
                   {"node_id", request.node_id},
                   {"environment", request.environment},
                   {"required_approvals", request.required_approvals},
                   {"commit_sha", request.commit_sha}};
  // Whoever check_voter would let approve now is an eligible approver.
  const governance::ApprovalRequest g = to_governance(request);
  const governance::EnvironmentProtection protection = protection_of(request);
  governance::ApprovalVote probe;
  probe.approve = true;
  OPZ_TRY(auto users, notifications_.users_with_roles_in(tx));
  for (const auto& [id, role_text] : users) {
    auto role = auth::parse_role(role_text);
    if (!role) continue;
    auto check = governance::check_voter(g, {}, {id, *role}, probe, protection, g.created_at);
    if (check.refusal == governance::VoteRefusal::kNotEligible ||
        check.refusal == governance::VoteRefusal::kSelfApproval)
      continue;
    n.target_user_ids.push_back(id);
  }
  OPZ_TRY_STATUS(notify_in(tx, n));
  return approvals_.mark_notified_in(tx, request.id);
}

void Notifier::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Notifier::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Notifier::wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Notifier::run() {
  for (;;) {
    auto sent = send_due();
    if (!sent) spdlog::warn("notifier: {}", sent.error().to_string());
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

Result<int> Notifier::send_due() {
  OPZ_TRY(auto pending, approvals_.unnotified(options_.batch));
  for (const auto& request : pending) {
    OPZ_TRY_STATUS(
        db_.write([&](store::SqlSession& tx) { return approval_requested_in(tx, request); }));
  }
  OPZ_TRY(auto due, webhooks_.due(options_.batch));
  for (const auto& d : due) OPZ_TRY_STATUS(attempt(d));
  return static_cast<int>(due.size());
}

Status Notifier::attempt(const store::DueWebhookDelivery& due) {
  store::WebhookAttempt result;
  Result<int> answer = Error::unavailable("no secret box to open the webhook secret");
  if (box_) {
    auto secret = box_->open(due.secret_sealed);
    if (!secret) {
      answer = Error::internal("the webhook secret cannot be opened");
    } else {
      OutgoingRequest req;
      req.url = due.url;
      req.body = due.delivery.payload;
      req.headers = {{"Content-Type", "application/json"},
                     {"User-Agent", "Opzenix-Webhook"},
                     {"X-Opzenix-Event", due.delivery.event},
                     {"X-Opzenix-Delivery", due.delivery.id},
                     {std::string(kWebhookSignatureHeader), github::sign(*secret, req.body)}};
      answer = send_ ? send_(req) : Result<int>(Error::unavailable("no sender"));
    }
  }
  if (answer) result.status_code = *answer;
  if (answer && *answer >= 200 && *answer < 300) {
    result.status = "delivered";
  } else {
    result.error = answer ? "HTTP " + std::to_string(*answer) : answer.error().message;
    const int attempts = due.delivery.attempts + 1;
    if (attempts >= options_.max_attempts) {
      result.status = "failed";
    } else {
      result.status = "pending";
      result.next_attempt_at = format_time(
          clock_.now() +
          exponential_backoff(attempts, options_.initial_backoff, options_.max_backoff));
    }
  }
  return webhooks_.record_attempt(due.delivery.id, result);
}

}  // namespace opz::trigger
