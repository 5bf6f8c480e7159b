#include "realtime/topic.h"

#include <gtest/gtest.h>

#include "auth/policy.h"

namespace opz::realtime {
namespace {

TEST(TopicTest, EveryTopicRoundTripsByName) {
  for (Topic t : kAllTopics) EXPECT_EQ(parse_topic(to_string(t)), t) << to_string(t);
  EXPECT_FALSE(parse_topic("node").has_value());
  EXPECT_FALSE(parse_topic("").has_value());
}

TEST(TopicTest, AListNamesItsTopicsIgnoringBlanksAndEmptyEntries) {
  auto set = parse_topic_list(" nodes, logs,,");
  ASSERT_TRUE(set.ok()) << set.error().to_string();
  EXPECT_TRUE(set->has(Topic::kNodes));
  EXPECT_TRUE(set->has(Topic::kLogs));
  EXPECT_FALSE(set->has(Topic::kExecutions));
  EXPECT_FALSE(set->has(Topic::kAudit));
}

TEST(TopicTest, AnUnknownTopicIsRefusedByName) {
  auto set = parse_topic_list("nodes,deploymnts");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(set.error().field, "topics");
  EXPECT_NE(set.error().message.find("'deploymnts'"), std::string::npos) << set.error().message;
}

TEST(TopicTest, AListWithoutANameIsRefused) {
  EXPECT_FALSE(parse_topic_list(" , ").ok());
}

TEST(TopicTest, EveryReadActionIsInThePolicyTable) {
  for (Topic t : kAllTopics)
    EXPECT_NE(auth::find_policy(read_action(t)), nullptr) << to_string(t);
  EXPECT_EQ(read_action(Topic::kLogs), "executions.read");
  EXPECT_EQ(read_action(Topic::kAudit), "audit.read");
}

}  // namespace
}  // namespace opz::realtime
