#include "agent/routing_runner.h"

#include <gtest/gtest.h>

#include "store/database.h"
#include "support/temp_dir.h"

namespace opz::agent {
namespace {

// Records the commands it is asked to start.
struct RecordingRunner final : runner::Runner {
  std::vector<std::string> started;
  std::vector<runner::ProcessId> cancelled;
  runner::ProcessId start(runner::ProcessSpec spec, runner::ProcessCallbacks) override {
    started.push_back(spec.command);
    return started.size();
  }
  void cancel(runner::ProcessId id) override { cancelled.push_back(id); }
  size_t running() const override { return started.size(); }
};

class RoutingRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(store::Database::open_sqlite({.path = dir_.str() + "/t.db"})).value();
    ASSERT_TRUE(db_->migrate().ok());
    store_ = std::make_unique<store::AgentStore>(*db_, clock_);
    remote_ = std::make_unique<RemoteRunner>(*store_, clock_, [this](Task t) { posted_.push_back(t); });
  }
  runner::ProcessSpec spec(std::string command, std::vector<std::string> runs_on) {
    runner::ProcessSpec s;
    s.command = std::move(command);
    s.runs_on = std::move(runs_on);
    return s;
  }

  opz::testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::AgentStore> store_;
  std::vector<Task> posted_;
  std::unique_ptr<RemoteRunner> remote_;
  RecordingRunner local_;
};

TEST_F(RoutingRunnerTest, WithoutFallbackLabelledStepsWaitForAnAgent) {
  RoutingRunner routing(local_, *remote_, [](const auto&) { return false; }, false);
  EXPECT_LT(routing.start(spec("plain", {}), {}), kRemoteIdBase);
  runner::ProcessId remote = routing.start(spec("labelled", {"gpu"}), {});
  EXPECT_GE(remote, kRemoteIdBase);
  EXPECT_EQ(local_.started, std::vector<std::string>{"plain"});
  EXPECT_EQ(routing.running(), 2u);
  routing.cancel(1);
  EXPECT_EQ(local_.cancelled, std::vector<runner::ProcessId>{1});
}

TEST_F(RoutingRunnerTest, WithFallbackUnmatchedLabelsRunHere) {
  bool agent_there = false;
  RoutingRunner routing(local_, *remote_, [&](const auto&) { return agent_there; }, true);
  EXPECT_LT(routing.start(spec("no agent", {"gpu"}), {}), kRemoteIdBase);
  agent_there = true;
  EXPECT_GE(routing.start(spec("agent", {"gpu"}), {}), kRemoteIdBase);
  EXPECT_EQ(local_.started, std::vector<std::string>{"no agent"});
}

}  // namespace
}  // namespace opz::agent
