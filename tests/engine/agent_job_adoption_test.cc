// The engine's recovery and an agent's job that outlives its server
// (docs/agents.md "Server restarts and several servers"). Server A's engine
// hands a `runs_on` node to an agent and dies (its engine stops without a
// word); server B — a restart, or another server taking the execution over —
// resumes it. When the node's job can be adopted the node continues at the
// SAME attempt and completes once; when it cannot (its agent was lost) the
// node runs again as its next attempt, after every attempt a job ran under.
// Never two runs under one attempt number.
//
// The agent job queue is a recording fake (FakeAgentQueue): what each server's
// runner started, which attempt's job is still adoptable, and who follows
// it; the test plays the agent (finish, lose). The store's own adoption
// (AgentStore::adopt, its race with the lease expiry) is tested in
// tests/agent/agent_service_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "engine/engine.h"
#include "engine_fixture.h"
#include "telemetry/metrics.h"

namespace opz::engine {
namespace {

std::string env_value(const std::vector<std::string>& env, const std::string& name) {
  for (const std::string& e : env)
    if (e.rfind(name + "=", 0) == 0) return e.substr(name.size() + 1);
  return "";
}

// The jobs of every server's runner, as the agents' queue would hold them.
class FakeAgentQueue {
 public:
  struct Job {
    std::string execution_id;
    std::string node_id;
    int attempt = 0;
    std::string command;
    bool adoptable = true;  // running on a live agent (or ended, its outcome unread)
    bool ended = false;
    int follower = 0;  // the runner whose callbacks get its outcome (0: none)
    runner::ProcessCallbacks cb;
  };

  // Answers the job's index.
  size_t add(Job job) {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
    return jobs_.size() - 1;
  }

  runner::Adoption adopt(const runner::AdoptRequest& r, int follower, runner::ProcessCallbacks cb) {
    std::lock_guard lock(mu_);
    runner::Adoption out;
    for (size_t i = 0; i < jobs_.size(); ++i) {
      Job& j = jobs_[i];
      if (j.execution_id != r.execution_id || j.node_id != r.node_id) continue;
      out.highest_attempt = std::max(out.highest_attempt, j.attempt);
      if (j.attempt == r.attempt && j.adoptable && !j.ended) {
        j.follower = follower;
        j.cb = std::move(cb);
        out.process = 1000 + i;
        out.command = j.command;
        ++adoptions;
      }
    }
    return out;
  }

  // The agent reports the job's end to whichever server follows it now.
  void finish(size_t index, int exit_code) {
    runner::ProcessCallbacks cb;
    {
      std::lock_guard lock(mu_);
      jobs_[index].ended = true;
      cb = std::move(jobs_[index].cb);
      jobs_[index].cb = {};
    }
    runner::ProcessResult r;
    r.exit_code = exit_code;
    if (cb.on_exit) cb.on_exit(r);
  }

  // Its agent was lost (or its lease ran out): it can no longer be adopted.
  void lose(size_t index) {
    std::lock_guard lock(mu_);
    jobs_[index].adoptable = false;
  }

  // A server died: nobody hears of its jobs any more.
  void forget(int follower) {
    std::lock_guard lock(mu_);
    for (Job& j : jobs_) {
      if (j.follower != follower) continue;
      j.cb = {};
      j.follower = 0;
    }
  }

  std::vector<Job> jobs() {
    std::lock_guard lock(mu_);
    std::vector<Job> out;
    for (const Job& j : jobs_) {
      out.push_back(j);
      out.back().cb = {};
    }
    return out;
  }

  std::atomic<int> adoptions{0};

 private:
  std::mutex mu_;
  std::vector<Job> jobs_;
};

// One server's runner: every step goes to the (fake) agents.
class FakeAgentRunner final : public runner::Runner {
 public:
  FakeAgentRunner(FakeAgentQueue& queue, int id) : queue_(queue), id_(id) {}
  runner::ProcessId start(runner::ProcessSpec spec, runner::ProcessCallbacks cb) override {
    FakeAgentQueue::Job job;
    job.execution_id = env_value(spec.env, "OPZENIX_EXECUTION_ID");
    job.node_id = env_value(spec.env, "OPZENIX_NODE_ID");
    job.attempt = std::atoi(env_value(spec.env, "OPZENIX_ATTEMPT").c_str());
    job.command = spec.command;
    job.follower = id_;
    job.cb = std::move(cb);
    return 1000 + queue_.add(std::move(job));
  }
  void cancel(runner::ProcessId) override {}
  size_t running() const override { return 0; }
  runner::Adoption adopt(const runner::AdoptRequest& request,
                         runner::ProcessCallbacks cb) override {
    return queue_.adopt(request, id_, std::move(cb));
  }

 private:
  FakeAgentQueue& queue_;
  int id_;
};

class AgentJobAdoptionTest : public EngineFixture {
 protected:
  void TearDown() override {
    if (b_) b_->stop();
    if (a_) a_->stop();
    EngineFixture::TearDown();
  }

  std::unique_ptr<Engine> start_server(FakeAgentRunner& runner, const std::string& data,
                                       telemetry::MetricsRegistry* metrics = nullptr) {
    EngineOptions o = options_;
    o.data_dir = dir_.str() + "/" + data;
    auto e =
        std::make_unique<Engine>(*journal_, runner, bus_, SystemClock::instance(), o, metrics);
    e->start();
    return e;
  }

  // Server A runs `build` (on an agent) until its job is queued, then dies.
  void run_on_a_until_the_job_is_queued(int max_attempts) {
    a_ = start_server(runner_a_, "data-a");
    auto record = a_->submit(request(R"(
nodes:
  build: {runs_on: [linux], retry: {max_attempts: )" + std::to_string(max_attempts) +
                                     R"(, initial: 1ms}, run: 'make build'}
)"));
    ASSERT_TRUE(record.ok()) << record.error().to_string();
    id_ = record->id;
    ASSERT_TRUE(wait_node(id_, "build", "running"));
    ASSERT_EQ(queue_.jobs().size(), 1u);
    a_->stop();
    queue_.forget(1);
  }

  // Server B (a restart, or the server taking over) resumes it.
  void recover_on_b() {
    b_ = start_server(runner_b_, "data-b", &metrics_b_);
    auto report = b_->recover();
    ASSERT_TRUE(report.ok()) << report.error().to_string();
    ASSERT_EQ(report->executions, 1);
    EXPECT_EQ(report->nodes_on_agents, 1);
    EXPECT_EQ(report->nodes_retried + report->nodes_failed, 0) << "their fate comes later";
  }

  // What B's metrics say became of the nodes it recovered with `outcome`.
  std::string recovered(const std::string& outcome) const {
    const std::string text = metrics_b_.render();
    const std::string key = "opzenix_recovered_nodes_total{outcome=\"" + outcome + "\"} ";
    const size_t at = text.find(key);
    if (at == std::string::npos) return "0";
    return text.substr(at + key.size(), text.find('\n', at) - at - key.size());
  }

  // The job of `attempt`, once some server's runner has it.
  size_t job_of(int attempt) {
    for (int i = 0; i < 4000; ++i) {
      auto jobs = queue_.jobs();
      for (size_t k = 0; k < jobs.size(); ++k)
        if (jobs[k].attempt == attempt && !jobs[k].ended && jobs[k].follower != 0) return k;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "no job of attempt " << attempt << " is followed";
    return 0;
  }

  // Attempts of every job of the node, in the order they were queued.
  std::vector<int> attempts() {
    std::vector<int> out;
    for (const auto& j : queue_.jobs()) out.push_back(j.attempt);
    return out;
  }

  telemetry::MetricsRegistry metrics_b_;
  FakeAgentQueue queue_;
  FakeAgentRunner runner_a_{queue_, 1};
  FakeAgentRunner runner_b_{queue_, 2};
  std::unique_ptr<Engine> a_;
  std::unique_ptr<Engine> b_;
  std::string id_;
};

TEST_F(AgentJobAdoptionTest, AnAdoptedJobContinuesTheSameAttemptAndCompletesOnce) {
  run_on_a_until_the_job_is_queued(3);
  recover_on_b();
  queue_.finish(job_of(1), 0);
  ASSERT_EQ(wait_finished(id_), "success") << describe(id_);
  EXPECT_EQ(node(id_, "build").attempt, 1) << "the takeover spent no attempt";
  EXPECT_EQ(attempts(), std::vector<int>{1}) << "the step ran once";
  EXPECT_EQ(queue_.adoptions.load(), 1);
  EXPECT_EQ(describe(id_).find("retrying"), std::string::npos) << describe(id_);
  EXPECT_EQ(recovered("adopted"), "1");
  EXPECT_EQ(recovered("retried"), "0");
}

TEST_F(AgentJobAdoptionTest, AnAdoptedJobThatFailsIsRetriedAsTheNextAttempt) {
  run_on_a_until_the_job_is_queued(3);
  recover_on_b();
  queue_.finish(job_of(1), 3);  // attempt 1 itself failed: that spends it
  queue_.finish(job_of(2), 0);
  ASSERT_EQ(wait_finished(id_), "success") << describe(id_);
  EXPECT_EQ(node(id_, "build").attempt, 2);
  EXPECT_EQ(attempts(), (std::vector<int>{1, 2}));
}

TEST_F(AgentJobAdoptionTest, ALostJobIsNotAdoptedTheNodeRunsAsItsNextAttempt) {
  run_on_a_until_the_job_is_queued(3);
  queue_.lose(0);
  recover_on_b();
  queue_.finish(job_of(2), 0);
  ASSERT_EQ(wait_finished(id_), "success") << describe(id_);
  EXPECT_EQ(node(id_, "build").attempt, 2);
  EXPECT_EQ(attempts(), (std::vector<int>{1, 2})) << "one run per attempt number";
  EXPECT_EQ(queue_.adoptions.load(), 0);
  EXPECT_EQ(recovered("retried"), "1");
  EXPECT_EQ(recovered("adopted"), "0");
}

TEST_F(AgentJobAdoptionTest, ANotAdoptableJobWithoutRetriesLeftFailsTheNode) {
  run_on_a_until_the_job_is_queued(1);
  queue_.lose(0);
  recover_on_b();
  ASSERT_EQ(wait_finished(id_), "failed") << describe(id_);
  const store::ExecutionNodeRecord build = node(id_, "build");
  EXPECT_EQ(build.attempt, 1);
  EXPECT_NE(build.error.find("no retries left"), std::string::npos) << build.error;
  EXPECT_EQ(attempts(), std::vector<int>{1}) << "nothing new was started";
  EXPECT_EQ(recovered("failed"), "1");
}

// A's runner had queued attempt 2 (lost since) before the row said so: B
// must not run a second "attempt 2"; it runs attempt 3.
TEST_F(AgentJobAdoptionTest, AnAttemptNumberAJobRanUnderIsNeverUsedAgain) {
  run_on_a_until_the_job_is_queued(3);
  queue_.lose(0);
  FakeAgentQueue::Job early{id_, "build", 2, "make build", false, false, 0, {}};
  queue_.add(early);
  recover_on_b();
  queue_.finish(job_of(3), 0);
  ASSERT_EQ(wait_finished(id_), "success") << describe(id_);
  EXPECT_EQ(node(id_, "build").attempt, 3);
  EXPECT_EQ(attempts(), (std::vector<int>{1, 2, 3}));
}

// The job was queued just before A stopped, before the node's row said the
// node was running (the engine commits once per round): B adopts it as that
// attempt instead of queueing a second job.
TEST_F(AgentJobAdoptionTest, AJobQueuedBeforeTheRowSaidSoIsAdoptedAsItsAttempt) {
  run_on_a_until_the_job_is_queued(3);
  auto reset = db_->write([&](store::SqlSession& s) {
    return s.exec("UPDATE execution_nodes SET status = 'pending', attempt = 0 "
                  "WHERE execution_id = $1 AND node_id = 'build'",
                  {id_});
  });
  ASSERT_TRUE(reset.ok());
  recover_on_b();
  queue_.finish(job_of(1), 0);
  ASSERT_EQ(wait_finished(id_), "success") << describe(id_);
  EXPECT_EQ(node(id_, "build").attempt, 1);
  EXPECT_EQ(attempts(), std::vector<int>{1});
  EXPECT_EQ(queue_.adoptions.load(), 1);
}

}  // namespace
}  // namespace opz::engine
