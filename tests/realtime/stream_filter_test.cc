#include "realtime/stream_filter.h"

#include <gtest/gtest.h>

#include "auth/policy.h"

namespace opz::realtime {
namespace {

StreamEvent event(Topic topic, std::optional<std::string> user = std::nullopt,
                  std::optional<std::string> execution = "e1",
                  std::optional<std::string> project = "p1") {
  StreamEvent e;
  e.id = 1;
  e.topic = topic;
  e.user_id = std::move(user);
  e.execution_id = std::move(execution);
  e.project_id = std::move(project);
  return e;
}

StreamFilter filter(auth::Role role, std::optional<TopicSet> topics = std::nullopt,
                    StreamScope scope = {}) {
  auto f = StreamFilter::make(topics, std::move(scope), Viewer{"alice", role});
  EXPECT_TRUE(f.ok());
  return std::move(f).value();
}

TEST(StreamFilterTest, WithoutTopicsEveryReadableTopicPasses) {
  auto f = filter(auth::Role::kViewer);
  for (Topic t : {Topic::kExecutions, Topic::kNodes, Topic::kLogs, Topic::kApprovals,
                  Topic::kDeployments, Topic::kEnvironments})
    EXPECT_TRUE(f.matches(event(t))) << to_string(t);
}

TEST(StreamFilterTest, OnlyTheTopicsAskedFor) {
  TopicSet nodes;
  nodes.add(Topic::kNodes);
  auto f = filter(auth::Role::kAdmin, nodes);
  EXPECT_TRUE(f.matches(event(Topic::kNodes)));
  EXPECT_FALSE(f.matches(event(Topic::kExecutions)));
  EXPECT_FALSE(f.matches(event(Topic::kLogs)));
}

TEST(StreamFilterTest, NotificationsAreOnlyEverTheViewersOwn) {
  for (auto role : {auth::Role::kViewer, auth::Role::kOperator, auth::Role::kAdmin}) {
    auto f = filter(role);
    EXPECT_TRUE(f.matches(event(Topic::kNotifications, "alice")));
    EXPECT_FALSE(f.matches(event(Topic::kNotifications, "bob")));
    EXPECT_FALSE(f.matches(event(Topic::kNotifications, std::nullopt)));
  }
}

TEST(StreamFilterTest, NonAdminsSeeOnlyTheirOwnAuditEntries) {
  for (auto role : {auth::Role::kViewer, auth::Role::kOperator}) {
    auto f = filter(role);
    EXPECT_TRUE(f.matches(event(Topic::kAudit, "alice")));
    EXPECT_FALSE(f.matches(event(Topic::kAudit, "bob")));
    EXPECT_FALSE(f.matches(event(Topic::kAudit, std::nullopt)));
  }
  auto admin = filter(auth::Role::kAdmin);
  EXPECT_TRUE(admin.matches(event(Topic::kAudit, "bob")));
  EXPECT_TRUE(admin.matches(event(Topic::kAudit, std::nullopt)));
}

TEST(StreamFilterTest, ExecutionAndProjectScopesNeedTheExactId) {
  auto by_execution = filter(auth::Role::kViewer, std::nullopt, StreamScope{"e1", std::nullopt});
  EXPECT_TRUE(by_execution.matches(event(Topic::kNodes)));
  EXPECT_FALSE(by_execution.matches(event(Topic::kNodes, std::nullopt, "e2")));
  EXPECT_FALSE(by_execution.matches(event(Topic::kEnvironments, std::nullopt, std::nullopt)));

  auto by_project = filter(auth::Role::kViewer, std::nullopt, StreamScope{std::nullopt, "p1"});
  EXPECT_TRUE(by_project.matches(event(Topic::kDeployments)));
  EXPECT_FALSE(by_project.matches(event(Topic::kDeployments, std::nullopt, "e1", "p2")));
  EXPECT_FALSE(by_project.matches(event(Topic::kEnvironments, std::nullopt, std::nullopt,
                                        std::nullopt)));
}

TEST(StreamFilterTest, TopicsFollowThePolicyTable) {
  for (auto role : {auth::Role::kViewer, auth::Role::kOperator, auth::Role::kAdmin}) {
    auto f = filter(role);
    for (Topic t : kAllTopics) {
      EXPECT_EQ(may_read(t, role), auth::is_allowed(read_action(t), role)) << to_string(t);
      EXPECT_EQ(f.topics().has(t), may_read(t, role)) << to_string(t);
    }
  }
}

}  // namespace
}  // namespace opz::realtime
