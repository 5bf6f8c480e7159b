#include "engine/execution_state.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace opz::engine {
namespace {

using S = ExecutionStatus;
using N = pipeline::NodeStatus;

const S kAll[] = {S::kIdle,    S::kRunning, S::kPaused,   S::kSuccess,
                  S::kWarning, S::kFailed,  S::kCancelled};

TEST(ExecutionStateTest, AllowsExactlyTheSeedsTransitionsPlusCancel) {
  const std::set<std::pair<S, S>> allowed = {
      {S::kIdle, S::kRunning},   {S::kIdle, S::kFailed},       {S::kIdle, S::kCancelled},
      {S::kRunning, S::kPaused}, {S::kRunning, S::kSuccess},   {S::kRunning, S::kWarning},
      {S::kRunning, S::kFailed}, {S::kRunning, S::kCancelled}, {S::kPaused, S::kRunning},
      {S::kPaused, S::kFailed},  {S::kPaused, S::kCancelled},
  };
  for (S from : kAll) {
    for (S to : kAll) {
      bool expected = allowed.count({from, to}) > 0;
      EXPECT_EQ(transition_allowed(from, to), expected)
          << to_string(from) << " -> " << to_string(to);
      EXPECT_EQ(check_transition(from, to).ok(), expected);
    }
  }
}

TEST(ExecutionStateTest, IllegalTransitionIsAConflictNamingBothStates) {
  Status st = check_transition(S::kSuccess, S::kRunning);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is_conflict());
  EXPECT_EQ(st.error().message, "execution is success; cannot become running");
  EXPECT_FALSE(transition_allowed(S::kPaused, S::kSuccess));  // approve resumes first
}

TEST(ExecutionStateTest, TerminalStatesAndStringsRoundTrip) {
  for (S s : kAll) {
    auto back = execution_status_from_string(to_string(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_FALSE(execution_status_from_string("done").has_value());
  EXPECT_FALSE(execution_status_from_string("").has_value());
  EXPECT_FALSE(is_terminal(S::kIdle));
  EXPECT_FALSE(is_terminal(S::kPaused));
  EXPECT_TRUE(is_terminal(S::kWarning));
  EXPECT_TRUE(is_terminal(S::kCancelled));
}

TEST(ExecutionStateTest, NodeTransitions) {
  EXPECT_TRUE(node_transition_allowed(N::kPending, N::kRunning));
  EXPECT_TRUE(node_transition_allowed(N::kPending, N::kQueued));
  EXPECT_TRUE(node_transition_allowed(N::kQueued, N::kRunning));
  EXPECT_TRUE(node_transition_allowed(N::kRunning, N::kPending));  // retry
  EXPECT_TRUE(node_transition_allowed(N::kWaiting, N::kSuccess));
  EXPECT_FALSE(node_transition_allowed(N::kRunning, N::kWaiting));
  EXPECT_FALSE(node_transition_allowed(N::kRunning, N::kSkipped));
  EXPECT_FALSE(node_transition_allowed(N::kWaiting, N::kPending));
  for (N final_state : {N::kSuccess, N::kFailed, N::kSkipped, N::kCancelled})
    for (size_t to = 0; to < pipeline::kNodeStatusCount; ++to)
      EXPECT_FALSE(node_transition_allowed(final_state, static_cast<N>(to)));
  for (size_t s = 0; s < pipeline::kNodeStatusCount; ++s)
    EXPECT_FALSE(node_transition_allowed(static_cast<N>(s), static_cast<N>(s)));
}

}  // namespace
}  // namespace opz::engine
