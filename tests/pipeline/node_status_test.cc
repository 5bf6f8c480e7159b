#include "pipeline/node_status.h"

#include <gtest/gtest.h>

namespace opz::pipeline {
namespace {

TEST(NodeStatus, DatabaseStrings) {
  const char* names[] = {"pending", "queued",  "running",   "success",
                         "failed",  "skipped", "cancelled", "waiting"};
  for (size_t i = 0; i < kNodeStatusCount; ++i) {
    auto status = static_cast<NodeStatus>(i);
    EXPECT_EQ(to_string(status), names[i]);
    EXPECT_EQ(node_status_from_string(names[i]), status);
  }
  EXPECT_EQ(to_string(NodeStatus::kWaiting), "waiting");
  EXPECT_FALSE(node_status_from_string("Success").has_value());
  EXPECT_FALSE(node_status_from_string("").has_value());
}

TEST(NodeStatus, FinalStatuses) {
  EXPECT_TRUE(is_final(NodeStatus::kSuccess));
  EXPECT_TRUE(is_final(NodeStatus::kFailed));
  EXPECT_TRUE(is_final(NodeStatus::kSkipped));
  EXPECT_TRUE(is_final(NodeStatus::kCancelled));
  EXPECT_FALSE(is_final(NodeStatus::kPending));
  EXPECT_FALSE(is_final(NodeStatus::kQueued));
  EXPECT_FALSE(is_final(NodeStatus::kRunning));
  EXPECT_FALSE(is_final(NodeStatus::kWaiting));
}

TEST(ExecutionOutcome, Strings) {
  EXPECT_EQ(to_string(ExecutionOutcome::kRunning), "running");
  EXPECT_EQ(to_string(ExecutionOutcome::kSuccess), "success");
  EXPECT_EQ(to_string(ExecutionOutcome::kWarning), "warning");
  EXPECT_EQ(to_string(ExecutionOutcome::kFailed), "failed");
  EXPECT_EQ(to_string(ExecutionOutcome::kCancelled), "cancelled");
  EXPECT_EQ(execution_outcome_from_string("warning"), ExecutionOutcome::kWarning);
  EXPECT_FALSE(execution_outcome_from_string("paused").has_value());
}

}  // namespace
}  // namespace opz::pipeline
