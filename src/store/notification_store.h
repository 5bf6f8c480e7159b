// NotificationStore: per-user notifications (notification_events): what a
// user should look at — an approval waiting for them, their execution
// decided, blocked, failed or finished. Written by trigger::Notifier (in the
// caller's transaction) and by POST /functions/v1/notify-event; read and
// marked read by their target user only. Thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

struct NotificationRecord {
  std::string id;
  std::string type;            // "approval_requested", "deployment_complete", ...
  std::string target;          // as the seeds give it (a user id or a channel)
  std::string target_user_id;  // the user it is for
  std::string project_id;      // empty: none
  Json payload = Json::object();
  std::string read_at;  // empty: unread
  std::string created_at;
};

class NotificationStore {
 public:
  NotificationStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // id and created_at filled when empty; target defaults to target_user_id.
  Result<NotificationRecord> create(NotificationRecord n);
  Result<NotificationRecord> create_in(SqlSession& tx, NotificationRecord n);
  // The user's notifications, newest first (created_at, id), keyset pages.
  Result<Page<NotificationRecord>> list_for_user(const std::string& user_id, bool unread_only,
                                                 const PageRequest& page);
  // kNotFound unless notification `id` is `user_id`'s. Reading twice keeps
  // the first read_at.
  Result<NotificationRecord> mark_read(const std::string& id, const std::string& user_id);
  // Answers how many were unread.
  Result<int64_t> mark_all_read(const std::string& user_id);
  // Every user with a role: (user id, role), oldest account first — the
  // candidates for "every eligible approver".
  Result<std::vector<std::pair<std::string, std::string>>> users_with_roles_in(SqlSession& s);
  // True when `user_id` names an account.
  Result<bool> user_exists(const std::string& user_id);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
