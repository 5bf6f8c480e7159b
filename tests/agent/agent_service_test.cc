// AgentService + RemoteRunner against a real SQLite store and a ManualClock:
// the Runner contract (output, then exactly one on_exit), fencing, leases,
// long-poll, cancellation. Waits are for events, with a generous deadline.
#include "agent/agent_service.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "agent_test_support.h"
#include "store/database.h"
#include "support/temp_dir.h"

namespace opz::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using Recording = RecordedJob;

class AgentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::open_sqlite({.path = dir_.str() + "/t.db"});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().ok());
    store_ = std::make_unique<store::AgentStore>(*db_, clock_);
    service_ = std::make_unique<AgentService>(*store_, clock_, AgentServiceOptions{});
    service_->start();
    auto reg = service_->create_registration_token("admin");
    ASSERT_TRUE(reg.ok());
    auto a = service_->register_agent(reg->token, "alpha", {"linux"}, 2, "test");
    ASSERT_TRUE(a.ok()) << a.error().to_string();
    agent_token_ = a->token;
    EXPECT_EQ(agent_token_.rfind("opza_", 0), 0u);
  }
  void TearDown() override { service_->stop(); }

  store::AgentRecord agent() {
    auto a = service_->authenticate(agent_token_);
    EXPECT_TRUE(a.ok());
    return a.ok() ? *a : store::AgentRecord{};
  }

  std::string out() const { return dir_.str() + "/out"; }

  runner::ProcessSpec spec(std::vector<std::string> runs_on = {"linux"}) {
    runner::ProcessSpec s;
    s.command = "echo hi";
    s.env = {"OPZENIX_EXECUTION_ID=e1", "OPZENIX_NODE_ID=build", "OPZENIX_ATTEMPT=1",
             "OPZENIX_OUTPUT=" + dir_.str() + "/out"};
    s.runs_on = std::move(runs_on);
    return s;
  }

  // The step's job, claimed by the agent; then its server is gone (nobody
  // delivers to `before` any more).
  store::AgentJobRecord claimed_then_server_gone(Recording& before) {
    service_->runner().start(spec(), before.callbacks());
    PollAnswer a = poll_now();
    EXPECT_TRUE(a.job.has_value());
    service_->stop();
    return a.job.value_or(store::AgentJobRecord{});
  }

  PollAnswer poll_now(milliseconds wait = milliseconds(0)) {
    return answered_poll(*service_, agent(), wait);
  }

  opz::testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::AgentStore> store_;
  std::unique_ptr<AgentService> service_;
  std::string agent_token_;
};

TEST_F(AgentServiceTest, AJobRunsOnAnAgentAndEndsExactlyOnce) {
  Recording rec;
  runner::ProcessId pid = service_->runner().start(spec(), rec.callbacks());
  EXPECT_GE(pid, kRemoteIdBase);
  EXPECT_EQ(service_->runner().running(), 1u);
  PollAnswer a = poll_now();
  ASSERT_TRUE(a.job.has_value());
  EXPECT_EQ(a.job->node_id, "build");
  EXPECT_EQ(a.job->spec["command"], "echo hi");
  EXPECT_EQ(a.job->generation, 1);
  runner::LogLine line{clock_.now(), runner::Stream::kStdout, "hello from the agent", false};
  ASSERT_TRUE(service_->logs(agent(), a.job->id, 1, {line}).ok());
  JobResult r;
  r.exit_code = 0;
  r.outputs = {{"image", "app:1"}, {"notes", "two\nlines"}};
  auto first = service_->complete(agent(), a.job->id, 1, r);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  ASSERT_TRUE(rec.wait_exit());
  auto again = service_->complete(agent(), a.job->id, 1, r);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  std::lock_guard lock(rec.mu);
  ASSERT_EQ(rec.exits.size(), 1u);
  EXPECT_TRUE(rec.exits[0].success());
  EXPECT_FALSE(rec.output_after_exit);
  EXPECT_NE(std::find(rec.lines.begin(), rec.lines.end(), "hello from the agent"), rec.lines.end());
  std::ifstream in(dir_.str() + "/out");
  std::stringstream text;
  text << in.rdbuf();
  auto outputs = runner::parse_output_file(text.str());
  ASSERT_TRUE(outputs.ok());
  EXPECT_EQ(*outputs, r.outputs);
  EXPECT_EQ(service_->runner().running(), 0u);
}

TEST_F(AgentServiceTest, ALostAgentsJobFailsOnceAndItsLateResultIsRefused) {
  Recording rec;
  service_->runner().start(spec(), rec.callbacks());
  PollAnswer a = poll_now();
  ASSERT_TRUE(a.job.has_value());
  clock_.advance(seconds(29));
  EXPECT_EQ(service_->check_leases(), 0u);
  clock_.advance(seconds(2));
  EXPECT_EQ(service_->check_leases(), 1u);
  ASSERT_TRUE(rec.wait_exit());
  JobResult ok;
  ok.exit_code = 0;
  auto late = service_->complete(agent(), a.job->id, 1, ok);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  auto hb = service_->heartbeat(agent(), a.job->id, 1);
  ASSERT_FALSE(hb.ok());
  EXPECT_EQ(hb.error().code, ErrorCode::kConflict);
  std::lock_guard lock(rec.mu);
  ASSERT_EQ(rec.exits.size(), 1u);
  EXPECT_FALSE(rec.exits[0].success());
  EXPECT_EQ(rec.exits[0].exit_code, -1);
  EXPECT_EQ(rec.exits[0].error, "agent alpha lost");
}

TEST_F(AgentServiceTest, AWaitingPollGetsAJobQueuedLater) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Result<PollAnswer>> got;
  service_->poll(agent(), {}, seconds(25), [&](Result<PollAnswer> a) {
    std::lock_guard lock(mu);
    got.emplace(std::move(a));
    cv.notify_all();
  });
  {
    std::lock_guard lock(mu);
    EXPECT_FALSE(got.has_value()) << "nothing queued yet: the poll waits";
  }
  Recording rec;
  service_->runner().start(spec(), rec.callbacks());
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, seconds(20), [&] { return got.has_value(); }));
  ASSERT_TRUE(got->ok());
  ASSERT_TRUE((*got)->job.has_value());
  EXPECT_EQ((*got)->job->status, "leased");
}

TEST_F(AgentServiceTest, JobsNeedAllTheirLabels) {
  Recording rec;
  service_->runner().start(spec({"linux", "gpu"}), rec.callbacks());
  EXPECT_FALSE(poll_now().job.has_value());
  EXPECT_FALSE(service_->has_online_match({"linux", "gpu"}));
  EXPECT_TRUE(service_->has_online_match({"linux"}));
}

TEST_F(AgentServiceTest, CancelEndsAQueuedJobAndAsksTheAgentToStopALeasedOne) {
  Recording queued;
  runner::ProcessId q = service_->runner().start(spec({"nowhere"}), queued.callbacks());
  service_->runner().cancel(q);
  ASSERT_TRUE(queued.wait_exit());
  EXPECT_TRUE(queued.exits[0].cancelled);

  Recording leased;
  runner::ProcessId l = service_->runner().start(spec(), leased.callbacks());
  PollAnswer a = poll_now();
  ASSERT_TRUE(a.job.has_value());
  service_->runner().cancel(l);
  auto stop = service_->heartbeat(agent(), a.job->id, 1);
  ASSERT_TRUE(stop.ok());
  EXPECT_TRUE(*stop);
  JobResult killed;
  killed.exit_code = -1;
  killed.signal = 15;
  killed.cancelled = true;
  ASSERT_TRUE(service_->complete(agent(), a.job->id, 1, killed).ok());
  ASSERT_TRUE(leased.wait_exit());
  EXPECT_TRUE(leased.exits[0].cancelled);
}

TEST_F(AgentServiceTest, DisabledAgentsCannotAuthenticate) {
  store::AgentRecord a = agent();
  ASSERT_TRUE(service_->disable(a.id).ok());
  auto refused = service_->authenticate(agent_token_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
}

// A server restart: a second service on the same database (the restarted
// server) adopts the leased job of the node's running attempt (the engine's
// recovery) instead of running the step again; the agent's complete of the
// same generation is accepted by it and ends the step once. The next attempt
// adopts nothing: a job never completes under another attempt number.
TEST_F(AgentServiceTest, AfterARestartTheRunningAttemptAdoptsTheLeasedJob) {
  Recording before;
  const store::AgentJobRecord job = claimed_then_server_gone(before);
  ASSERT_FALSE(job.id.empty());  // the old server is gone; nobody delivers to `before`
  ASSERT_TRUE(store_->abandon_unfinished().ok());
  AgentService restarted(*store_, clock_, AgentServiceOptions{});
  restarted.start();
  EXPECT_TRUE(restarted.has_live_job("e1", "build"));
  Recording next;
  runner::Adoption none = restarted.runner().adopt({"e1", "build", 2, out()}, next.callbacks());
  EXPECT_EQ(none.process, runner::kNoProcess) << "attempt 2 never ran";
  EXPECT_EQ(none.highest_attempt, 1);
  Recording after;
  runner::Adoption adopted =
      restarted.runner().adopt({"e1", "build", 1, out()}, after.callbacks());
  ASSERT_GE(adopted.process, kRemoteIdBase);
  EXPECT_EQ(adopted.command, "echo hi");
  auto stored = store_->find_job(job.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, "leased") << "the lease still holds";
  ASSERT_TRUE(restarted.heartbeat(agent(), job.id, 1).ok());
  JobResult r;
  r.exit_code = 0;
  auto done = restarted.complete(agent(), job.id, 1, r);
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_TRUE(*done);
  ASSERT_TRUE(after.wait_exit());
  EXPECT_TRUE(after.exits[0].success());
  // Nothing new was queued: a poll finds no job.
  auto nothing = store_->claim(agent(), seconds(30));
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());
  std::lock_guard lock(before.mu);
  EXPECT_TRUE(before.exits.empty());
  std::lock_guard lock_next(next.mu);
  EXPECT_TRUE(next.exits.empty());
  restarted.stop();
}

// The complete reached the restarted server before the engine's recovery:
// the attempt adopts the ended job and gets its result at once.
TEST_F(AgentServiceTest, AResultThatArrivedBeforeTheRecoveryIsDeliveredToTheSameAttempt) {
  Recording before;
  const store::AgentJobRecord job = claimed_then_server_gone(before);
  ASSERT_FALSE(job.id.empty());
  AgentService restarted(*store_, clock_, AgentServiceOptions{});
  restarted.start();
  JobResult r;
  r.exit_code = 7;
  ASSERT_TRUE(restarted.complete(agent(), job.id, 1, r).ok());
  Recording after;
  ASSERT_NE(restarted.runner().adopt({"e1", "build", 1, out()}, after.callbacks()).process,
            runner::kNoProcess);
  ASSERT_TRUE(after.wait_exit());
  EXPECT_EQ(after.exits[0].exit_code, 7);
  restarted.stop();
}

// What cannot be adopted: the job of a lost agent, a lease that ran out
// before the lease check noticed, a job lost with its disabled agent. The
// answer names the attempt the job ran under, so the next one is 2.
TEST_F(AgentServiceTest, AJobWhoseLeaseIsGoneIsNotAdopted) {
  Recording before;
  const store::AgentJobRecord job = claimed_then_server_gone(before);
  ASSERT_FALSE(job.id.empty());
  AgentService restarted(*store_, clock_, AgentServiceOptions{});
  restarted.start();

  clock_.advance(seconds(31));  // the lease (30 s) ran out; not yet declared lost
  Recording expired;
  runner::Adoption refused =
      restarted.runner().adopt({"e1", "build", 1, out()}, expired.callbacks());
  EXPECT_EQ(refused.process, runner::kNoProcess);
  EXPECT_EQ(refused.highest_attempt, 1);
  auto stored = store_->find_job(job.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, "leased") << "refused by its lease's expiry alone";

  EXPECT_EQ(restarted.check_leases(), 1u);  // now lost
  Recording lost;
  EXPECT_EQ(restarted.runner().adopt({"e1", "build", 1, out()}, lost.callbacks()).process,
            runner::kNoProcess);
  std::lock_guard lock(expired.mu);
  EXPECT_TRUE(expired.exits.empty());
  restarted.stop();
}

TEST_F(AgentServiceTest, AJobOfADisabledAgentIsNotAdopted) {
  Recording before;
  service_->runner().start(spec(), before.callbacks());
  PollAnswer a = poll_now();
  ASSERT_TRUE(a.job.has_value());
  ASSERT_TRUE(service_->disable(agent().id).ok());
  Recording after;
  runner::Adoption refused = service_->runner().adopt({"e1", "build", 1, out()}, after.callbacks());
  EXPECT_EQ(refused.process, runner::kNoProcess);
  EXPECT_EQ(refused.highest_attempt, 1);
}

// The adoption and the lease check race (two threads, one database): either
// the adoption wins (the job is followed, and its loss, which follows, ends
// the attempt exactly once) or the expiry wins (nothing is adopted, nothing
// delivered). Never an adopted job that was already lost.
TEST_F(AgentServiceTest, AnAdoptionRacingTheExpiryIsOneOrTheOther) {
  int adopted_count = 0;
  for (int round = 0; round < 20; ++round) {
    const std::string execution = "race-" + std::to_string(round);
    runner::ProcessSpec s = spec();
    s.env[0] = "OPZENIX_EXECUTION_ID=" + execution;
    Recording before;
    RemoteRunner old_runner(*store_, clock_, [](Task t) { t(); });
    old_runner.start(s, before.callbacks());
    auto claimed = store_->claim(agent(), seconds(30));
    ASSERT_TRUE(claimed.ok() && claimed->has_value());
    // The agent was last seen at the claim; 20 s later its lease still
    // holds, but a 10 s agent timeout declares it lost.
    clock_.advance(seconds(20));
    RemoteRunner new_runner(*store_, clock_, [](Task t) { t(); });
    Recording after;
    runner::Adoption adoption;
    std::vector<store::LostJob> lost;
    std::thread adopt([&] { adoption = new_runner.adopt({execution, "build", 1, out()},
                                                        after.callbacks()); });
    std::thread expire([&] {
      auto l = store_->expire(seconds(10));
      ASSERT_TRUE(l.ok());
      lost = *l;
    });
    adopt.join();
    expire.join();
    ASSERT_EQ(lost.size(), 1u) << "the job is lost either way";
    auto job = store_->find_job((*claimed)->id);
    ASSERT_TRUE(job.ok());
    EXPECT_EQ(job->status, "lost");
    for (const store::LostJob& l : lost) new_runner.deliver_lost(l);  // as check_leases does
    std::lock_guard lock(after.mu);
    if (adoption.process != runner::kNoProcess) {
      ++adopted_count;
      ASSERT_EQ(after.exits.size(), 1u) << "the adopted attempt ends once, as lost";
      EXPECT_NE(after.exits[0].error.find("lost"), std::string::npos) << after.exits[0].error;
    } else {
      EXPECT_TRUE(after.exits.empty()) << "nothing adopted, nothing delivered";
      EXPECT_EQ(adoption.highest_attempt, 1);
    }
    // The agent comes back for the next round.
    ASSERT_TRUE(service_->authenticate(agent_token_).ok());
  }
  std::cout << "adopted before the expiry in " << adopted_count << " of 20 rounds\n";
}

// Two servers on one database: the job queued by one, run by an agent that
// reports to the other; the first learns of the end in its lease check.
TEST_F(AgentServiceTest, AJobCompletedThroughAnotherServerEndsOnTheServerThatQueuedIt) {
  AgentService other(*store_, clock_, AgentServiceOptions{});
  other.start();
  Recording rec;
  service_->runner().start(spec(), rec.callbacks());
  auto claimed = store_->claim(agent(), seconds(30));
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  JobResult r;
  r.exit_code = 0;
  r.outputs = {{"artifact.app", "registry.example/app:1"}};
  ASSERT_TRUE(other.complete(agent(), (*claimed)->id, 1, r).ok());
  {
    std::lock_guard lock(rec.mu);
    EXPECT_TRUE(rec.exits.empty()) << "not delivered by the other server";
  }
  service_->check_leases();
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_TRUE(rec.exits[0].success());
  std::ifstream in(dir_.str() + "/out");
  std::stringstream text;
  text << in.rdbuf();
  auto outputs = runner::parse_output_file(text.str());
  ASSERT_TRUE(outputs.ok());
  EXPECT_EQ(*outputs, r.outputs);
  other.stop();
}

}  // namespace
}  // namespace opz::agent
