#include "realtime/topic.h"

#include <string>

namespace opz::realtime {

std::string_view to_string(Topic topic) {
  switch (topic) {
    case Topic::kExecutions:
      return "executions";
    case Topic::kNodes:
      return "nodes";
    case Topic::kLogs:
      return "logs";
    case Topic::kApprovals:
      return "approvals";
    case Topic::kDeployments:
      return "deployments";
    case Topic::kEnvironments:
      return "environments";
    case Topic::kAudit:
      return "audit";
    case Topic::kNotifications:
      return "notifications";
  }
  return "executions";
}

std::optional<Topic> parse_topic(std::string_view name) {
  for (Topic t : kAllTopics) {
    if (to_string(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view read_action(Topic topic) {
  switch (topic) {
    case Topic::kExecutions:
    case Topic::kNodes:
    case Topic::kLogs:
      return "executions.read";
    case Topic::kApprovals:
      return "approvals.read";
    case Topic::kDeployments:
      return "deployments.read";
    case Topic::kEnvironments:
      return "environments.read";
    case Topic::kAudit:
      return "audit.read";
    case Topic::kNotifications:
      return "notifications.read";
  }
  return "executions.read";
}

TopicSet TopicSet::all() {
  TopicSet s;
  for (Topic t : kAllTopics) s.add(t);
  return s;
}

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string known_topics() {
  std::string out;
  for (Topic t : kAllTopics) {
    if (!out.empty()) out += ", ";
    out += to_string(t);
  }
  return out;
}

}  // namespace

Result<TopicSet> parse_topic_list(std::string_view list) {
  TopicSet set;
  while (true) {
    const size_t comma = list.find(',');
    const std::string_view name = trimmed(list.substr(0, comma));
    if (!name.empty()) {
      auto topic = parse_topic(name);
      if (!topic)
        return Error::malformed(
            "unknown topic '" + std::string(name) + "' (topics: " + known_topics() + ")",
            "topics");
      set.add(*topic);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (set.empty()) return Error::malformed("no topic named (topics: " + known_topics() + ")",
                                            "topics");
  return set;
}

}  // namespace opz::realtime
