#include "realtime/stream_filter.h"

#include "auth/policy.h"

namespace opz::realtime {

bool may_read(Topic topic, auth::Role role) { return auth::is_allowed(read_action(topic), role); }

Result<StreamFilter> StreamFilter::make(const std::optional<TopicSet>& requested,
                                        StreamScope scope, Viewer viewer) {
  TopicSet topics;
  for (Topic t : kAllTopics) {
    const bool wanted = !requested || requested->has(t);
    if (!wanted) continue;
    if (!may_read(t, viewer.role)) {
      if (requested)
        return Error::forbidden("role '" + std::string(auth::to_string(viewer.role)) +
                                "' may not read topic '" + std::string(to_string(t)) + "'");
      continue;
    }
    topics.add(t);
  }
  return StreamFilter(topics, std::move(scope), std::move(viewer));
}

bool StreamFilter::matches(const StreamEvent& e) const {
  if (!topics_.has(e.topic)) return false;
  const bool own = e.user_id && *e.user_id == viewer_.user_id;
  if (e.topic == Topic::kNotifications && !own) return false;
  if (e.topic == Topic::kAudit && viewer_.role != auth::Role::kAdmin && !own) return false;
  if (scope_.execution_id && e.execution_id != scope_.execution_id) return false;
  if (scope_.project_id && e.project_id != scope_.project_id) return false;
  return true;
}

}  // namespace opz::realtime
