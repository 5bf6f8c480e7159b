// ProjectWebhookStore: a project's outgoing webhooks (project_webhooks) and
// the log of their deliveries (project_webhook_deliveries): one row per
// (webhook, event), holding the exact body sent, its attempts, the next
// attempt time and the last answer. Written by trigger::Notifier (enqueue, in
// the caller's transaction) and its sender thread (record_attempt); the
// secret is stored sealed (secrets::SecretBox), never in clear.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

struct ProjectWebhookRecord {
  std::string id;
  std::string project_id;
  std::string url;
  std::string secret_sealed;
  std::string format = "opzenix";  // opzenix | slack
  Json events = Json::array();     // notification types; empty: every event
  bool enabled = true;
  std::string created_by;
  std::string created_at;
};

struct ProjectWebhookDeliveryRecord {
  std::string id;
  std::string webhook_id;
  std::string event;
  std::string payload;  // the body, byte for byte as sent (and signed)
  std::string status = "pending";  // pending | delivered | failed
  int attempts = 0;
  std::string next_attempt_at;
  std::optional<int> last_status_code;
  std::string last_error;
  std::string created_at;
  std::string delivered_at;
};

// A due delivery with what sending it needs.
struct DueWebhookDelivery {
  ProjectWebhookDeliveryRecord delivery;
  std::string url;
  std::string secret_sealed;
};

// The result of one attempt.
struct WebhookAttempt {
  std::string status;  // delivered | pending (retry at next_attempt_at) | failed (gave up)
  std::optional<int> status_code;
  std::string error;
  std::string next_attempt_at;  // for pending
};

class ProjectWebhookStore {
 public:
  ProjectWebhookStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // id and created_at filled when empty. kNotFound for an unknown project.
  Result<ProjectWebhookRecord> create(ProjectWebhookRecord w);
  // Oldest first.
  Result<std::vector<ProjectWebhookRecord>> list(const std::string& project_id);
  Result<std::vector<ProjectWebhookRecord>> enabled_in(SqlSession& s,
                                                       const std::string& project_id);
  // kNotFound unless webhook `id` belongs to `project_id`.
  Result<ProjectWebhookRecord> find(const std::string& project_id, const std::string& id);
  Status remove(const std::string& project_id, const std::string& id);

  // A pending delivery due now.
  Result<ProjectWebhookDeliveryRecord> enqueue_in(SqlSession& tx, const std::string& webhook_id,
                                                  const std::string& event,
                                                  const std::string& payload);
  // Newest first.
  Result<Page<ProjectWebhookDeliveryRecord>> deliveries(const std::string& webhook_id,
                                                        const PageRequest& page);
  Result<ProjectWebhookDeliveryRecord> find_delivery(const std::string& id);
  // Pending deliveries with next_attempt_at <= now, oldest due first.
  Result<std::vector<DueWebhookDelivery>> due(int limit);
  // The earliest next_attempt_at of a pending delivery, if any.
  Result<std::optional<std::string>> next_due_at();
  // Counts the attempt and stores its outcome.
  Status record_attempt(const std::string& delivery_id, const WebhookAttempt& attempt);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
