// Topic: what a realtime client subscribes to (GET /api/v1/events?topics=),
// one per kind of change the event log records (migration 012):
//   executions   executions          nodes          execution_nodes
//   logs         execution_logs      approvals      approval_requests, _votes
//   deployments  deployments, deployment_holds
//   environments environment_locks, project_environments, freeze_windows,
//                emergency_stops
//   audit        audit_logs          notifications  notification_events
// Each topic is read under one policy action (read_action): the stream shows
// a topic only to a role the policy table lets perform it.
// Pure; no I/O.
#pragma once

#include <array>
#include <bitset>
#include <optional>
#include <string_view>

#include "core/result.h"

namespace opz::realtime {

enum class Topic {
  kExecutions,
  kNodes,
  kLogs,
  kApprovals,
  kDeployments,
  kEnvironments,
  kAudit,
  kNotifications,
};
inline constexpr size_t kTopicCount = 8;
inline constexpr std::array<Topic, kTopicCount> kAllTopics = {
    Topic::kExecutions,  Topic::kNodes,        Topic::kLogs,  Topic::kApprovals,
    Topic::kDeployments, Topic::kEnvironments, Topic::kAudit, Topic::kNotifications};

// "executions", "nodes", ... (the SSE `event:` name and the log's topic column).
std::string_view to_string(Topic topic);
std::optional<Topic> parse_topic(std::string_view name);
// The policy action (auth/policy.h) a role needs to read the topic:
// executions/nodes/logs -> executions.read, approvals -> approvals.read,
// deployments -> deployments.read, environments -> environments.read,
// audit -> audit.read, notifications -> notifications.read.
std::string_view read_action(Topic topic);

// A set of topics.
class TopicSet {
 public:
  static TopicSet all();
  void add(Topic t) { bits_.set(static_cast<size_t>(t)); }
  void remove(Topic t) { bits_.reset(static_cast<size_t>(t)); }
  bool has(Topic t) const { return bits_.test(static_cast<size_t>(t)); }
  bool empty() const { return bits_.none(); }
  bool operator==(const TopicSet&) const = default;

 private:
  std::bitset<kTopicCount> bits_;
};

// "nodes,logs" -> {nodes, logs}. Blanks around names are ignored, empty
// entries skipped; an unknown name is kMalformed (400) on field "topics" naming
// it ("unknown topic 'node' (topics: executions, nodes, ...)"); a list with
// no name at all is kMalformed too.
Result<TopicSet> parse_topic_list(std::string_view list);

}  // namespace opz::realtime
