// ExecutionNotifications: tells the person who started an execution how it
// ended, and the project's outgoing webhooks the same (issue 8,
// "Notifications"); and expires approval requests whose time is up.
//
// Execution outcomes. Constructing it subscribes to the EventBus for
// execution state events only, with a bounded queue; its own thread reads
// that queue, so the engine never waits on a notification (a full queue drops
// events for this subscriber only: counted by dropped(), logged, and those
// executions go unannounced). For an execution that reached a final state it
// reads the row and sends, through Notifier::notify:
//   execution_blocked    failed, with governance_status 'blocked' (a lock, a
//                        rejected or expired approval, superseded in the
//                        queue, ...); reason = blocked_reason
//   execution_failed     failed otherwise; reason = blocked_reason (a
//                        force-fail) or the engine's reason
//   execution_finished   success, warning or cancelled (reason: the cancel's)
//   deployment_complete  also, after success or warning, when a `deploy`
//                        node succeeded (the seeds' type, 000 §2.2 step 9)
// to `started_by` when it names an account (never "github:…", "cli", …),
// and, since every one carries the project, to its subscribed webhooks.
// Payload: {execution_id, name, project_id, environment, branch,
// commit_sha, status, reason, started_by}.
//
// Approval expiry. Every `sweep_interval` the thread also runs
// ApprovalStore::expire_due() (the store's clock decides what is due); each
// expired request tells its requester (approval_decided, status 'expired'),
// and admission is asked to re-evaluate, so the held execution fails quoting
// the expiry (governance::tally already counts a request past expires_at as
// expired) — and execution_blocked follows from the outcome above.
//
// Tests drive both halves on their own thread: process_pending() handles
// what is queued, expire_approvals() sweeps once (with a ManualClock).
// Thread-safe; stop() is idempotent and final (the subscription is closed).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/result.h"
#include "engine/event_bus.h"
#include "store/approval_store.h"
#include "store/database.h"
#include "store/execution_store.h"
#include "store/notification_store.h"
#include "trigger/admission.h"
#include "trigger/notifier.h"

namespace opz::trigger {

struct ExecutionNotificationsDeps {
  store::Database& db;
  const Clock& clock;
  Notifier& notifier;
  engine::EventBus& bus;
  Admission* admission = nullptr;  // null: expired approvals are not re-evaluated
};

struct ExecutionNotificationsOptions {
  size_t queue_capacity = 1024;  // execution state events waiting for the thread
  Millis sweep_interval{1000};   // real time between approval expiry sweeps
};

class ExecutionNotifications {
 public:
  ExecutionNotifications(ExecutionNotificationsDeps deps,
                         ExecutionNotificationsOptions options = {});
  ~ExecutionNotifications();
  ExecutionNotifications(const ExecutionNotifications&) = delete;
  ExecutionNotifications& operator=(const ExecutionNotifications&) = delete;

  void start();
  void stop();

  // Handles every queued event on the caller's thread; answers how many
  // notifications were sent.
  Result<int> process_pending();
  // One event: the notifications for an execution that ended (none for any
  // other event). Answers how many were sent.
  Result<int> on_event(const engine::EngineEvent& event);
  // One approval expiry sweep; answers the requests it expired.
  Result<int> expire_approvals();

  // Events lost because the queue was full.
  uint64_t dropped() const { return subscription_->dropped(); }

 private:
  Status send(const std::string& type, const store::ExecutionRecord& e,
              const std::string& reason, const std::vector<std::string>& targets);
  Result<std::vector<std::string>> account_of(const std::string& user_id);
  Result<bool> deployed(const std::string& execution_id);
  void run();

  ExecutionNotificationsDeps d_;
  ExecutionNotificationsOptions options_;
  store::ExecutionStore executions_;
  store::ApprovalStore approvals_;
  store::NotificationStore users_;
  std::shared_ptr<engine::EventSubscription> subscription_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> reported_drops_{0};
  std::mutex mu_;  // start/stop
  std::thread thread_;
};

}  // namespace opz::trigger
