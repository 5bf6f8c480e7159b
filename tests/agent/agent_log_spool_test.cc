// Log lines across servers: two AgentServices ("servers" A and B) over one
// SQLite database file, each with its own connections and store. Server A
// starts the step (its RemoteRunner waits for the job); the agent reports to
// server B. What the agent posts to B reaches A's callbacks through the
// store's log spool: every line, once, in order, before the one on_exit; a
// stale lease's lines are refused and never reach A; the spool is empty
// afterwards. Leases are driven by a ManualClock and check_leases() by hand;
// waits are for events, with a generous deadline.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

#include "agent/agent_service.h"
#include "agent_test_support.h"
#include "runner/output_file.h"
#include "store/database.h"
#include "support/temp_dir.h"

namespace opz::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using Recorded = RecordedJob;

// The outputs a node's output file holds (empty when it does not parse).
std::map<std::string, std::string> outputs_in(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  auto parsed = runner::parse_output_file(std::string(std::istreambuf_iterator<char>(in), {}));
  EXPECT_TRUE(parsed.ok()) << path;
  std::map<std::string, std::string> out;
  if (parsed) out.insert(parsed->begin(), parsed->end());
  return out;
}

// One "server": its own database connections on the shared file, its own
// store and agent service.
struct Server {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::AgentStore> store;
  std::unique_ptr<AgentService> service;
};

class AgentLogSpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open(a_);
    ASSERT_TRUE(a_.db->migrate().ok());
    open(b_);
    for (Server* s : {&a_, &b_}) {
      s->store = std::make_unique<store::AgentStore>(*s->db, clock_);
      s->service = std::make_unique<AgentService>(*s->store, clock_, AgentServiceOptions{});
      s->service->start();
    }
    auto reg = a_.service->create_registration_token("admin");
    ASSERT_TRUE(reg.ok());
    auto registered = b_.service->register_agent(reg->token, "alpha", {"linux"}, 2, "test");
    ASSERT_TRUE(registered.ok()) << registered.error().to_string();
    auto agent = b_.service->authenticate(registered->token);
    ASSERT_TRUE(agent.ok());
    agent_ = *agent;
  }
  void TearDown() override {
    for (Server* s : {&a_, &b_})
      if (s->service) s->service->stop();
  }

  void open(Server& s) {
    auto db = store::Database::open_sqlite({.path = dir_.str() + "/shared.db"});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    s.db = std::move(db).value();
  }

  runner::ProcessSpec spec() const {
    runner::ProcessSpec s;
    s.command = "make";
    s.env = {"OPZENIX_EXECUTION_ID=e1", "OPZENIX_NODE_ID=build", "OPZENIX_ATTEMPT=1",
             "OPZENIX_OUTPUT=" + dir_.str() + "/out"};
    s.runs_on = {"linux"};
    return s;
  }

  // The agent's poll, answered by `server` at once.
  PollAnswer poll(Server& server) { return answered_poll(*server.service, agent_, milliseconds(0)); }

  Status post_logs(Server& server, const std::string& job, int64_t generation,
                   std::vector<std::string> texts) {
    std::vector<runner::LogLine> lines;
    for (std::string& t : texts)
      lines.push_back({clock_.now(), runner::Stream::kStdout, std::move(t), false});
    return server.service->logs(agent_, job, generation, std::move(lines));
  }

  int64_t spooled_rows() {
    auto n = a_.db->read([](store::SqlSession& s) -> Result<int64_t> {
      OPZ_TRY(store::Rows rows, s.query("SELECT COUNT(*) AS n FROM agent_job_log_spool"));
      return rows[0]["n"].as_int();
    });
    EXPECT_TRUE(n.ok()) << n.error().to_string();
    return n.ok() ? *n : -1;
  }

  opz::testing::TempDir dir_;
  ManualClock clock_;
  Server a_;
  Server b_;
  store::AgentRecord agent_;
};

TEST_F(AgentLogSpoolTest, LinesPostedToAnotherServerReachTheOwnerInOrderBeforeItsExit) {
  Recorded rec;
  a_.service->runner().start(spec(), rec.callbacks());
  PollAnswer claimed = poll(b_);
  ASSERT_TRUE(claimed.job.has_value());
  const std::string job = claimed.job->id;
  EXPECT_FALSE(b_.service->runner().follows(job));
  EXPECT_TRUE(a_.service->runner().follows(job));

  ASSERT_TRUE(post_logs(b_, job, 1, {"b1 first", "b1 second"}).ok());
  ASSERT_TRUE(post_logs(b_, job, 1, {"b2"}).ok());
  // Straight to the owner: the batches spooled before it come first.
  ASSERT_TRUE(post_logs(a_, job, 1, {"a3 direct"}).ok());
  ASSERT_TRUE(post_logs(b_, job, 1, {"b4 first", "b4 second", "b4 third"}).ok());
  JobResult r;
  r.exit_code = 0;
  auto done = b_.service->complete(agent_, job, 1, r);
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_TRUE(*done);

  a_.service->check_leases();  // its thread does this every second too
  ASSERT_TRUE(rec.wait_exit());
  const std::vector<std::string> expected = {"b1 first", "b1 second", "b2",      "a3 direct",
                                             "b4 first", "b4 second", "b4 third"};
  EXPECT_EQ(rec.agent_lines(), expected);
  std::vector<std::string> all = rec.all_lines();
  const std::string claim_note =
      "[opzenix] running on agent alpha (job " + job + ", lease generation 1)";
  EXPECT_EQ(std::count(all.begin(), all.end(), claim_note), 1)
      << "server B's note of the claim reaches A through the spool";
  EXPECT_LT(std::find(all.begin(), all.end(), claim_note) - all.begin(),
            std::find(all.begin(), all.end(), "b1 first") - all.begin());

  // More passes on both servers deliver nothing twice.
  a_.service->check_leases();
  b_.service->check_leases();
  EXPECT_EQ(rec.all_lines(), all);
  std::lock_guard lock(rec.state->mu);
  ASSERT_EQ(rec.state->exits.size(), 1u);
  EXPECT_TRUE(rec.state->exits[0].success());
  EXPECT_FALSE(rec.state->output_after_exit);
  EXPECT_EQ(spooled_rows(), 0);
  EXPECT_EQ(a_.service->runner().running(), 0u);
}

// The agent posts its lines to B and completes on the owner, A: A's
// complete hands on the spooled lines before the exit, at once.
TEST_F(AgentLogSpoolTest, ACompleteOnTheOwnerHandsOnLinesSpooledElsewhereFirst) {
  Recorded rec;
  a_.service->runner().start(spec(), rec.callbacks());
  PollAnswer claimed = poll(b_);
  ASSERT_TRUE(claimed.job.has_value());
  const std::string job = claimed.job->id;
  ASSERT_TRUE(post_logs(b_, job, 1, {"one", "two"}).ok());
  JobResult r;
  r.exit_code = 3;
  ASSERT_TRUE(a_.service->complete(agent_, job, 1, r).ok());
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_EQ(rec.agent_lines(), (std::vector<std::string>{"one", "two"}));
  std::lock_guard lock(rec.state->mu);
  ASSERT_EQ(rec.state->exits.size(), 1u);
  EXPECT_EQ(rec.state->exits[0].exit_code, 3);
  EXPECT_FALSE(rec.state->output_after_exit);
  EXPECT_EQ(spooled_rows(), 0);
}

// A stale generation's lines are refused by B (409) and never reach A. The
// lines accepted while the lease held reach A before the "lost" line and
// the exit.
TEST_F(AgentLogSpoolTest, AStaleLeasesLinesAreRefusedAndNeverReachTheOwner) {
  Recorded rec;
  a_.service->runner().start(spec(), rec.callbacks());
  PollAnswer claimed = poll(b_);
  ASSERT_TRUE(claimed.job.has_value());
  const std::string job = claimed.job->id;
  ASSERT_TRUE(post_logs(b_, job, 1, {"accepted"}).ok());
  Status wrong_generation = post_logs(b_, job, 2, {"from generation 2"});
  ASSERT_FALSE(wrong_generation.ok());
  EXPECT_EQ(wrong_generation.error().code, ErrorCode::kConflict);

  clock_.advance(seconds(31));  // the agent went silent: B's lease check loses it
  b_.service->check_leases();   // (or A's thread, doing the same, got there first)
  auto stored = b_.store->find_job(job);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, "lost");
  Status late = post_logs(b_, job, 1, {"after the loss"});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);

  a_.service->check_leases();  // A hears of the loss (sync)
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_EQ(rec.agent_lines(), std::vector<std::string>{"accepted"});
  std::vector<std::string> all = rec.all_lines();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back(), "[opzenix] agent alpha lost: its lease ran out");
  std::lock_guard lock(rec.state->mu);
  ASSERT_EQ(rec.state->exits.size(), 1u);
  EXPECT_EQ(rec.state->exits[0].error, "agent alpha lost");
  EXPECT_FALSE(rec.state->output_after_exit);
  EXPECT_EQ(spooled_rows(), 0);
}

// The owner is gone for good (nobody adopts the job): its spooled lines stay
// while the job may still be adopted, and are purged by a lease check once
// the job ended longer ago than the retention.
TEST_F(AgentLogSpoolTest, LinesNobodyTakesArePurgedAfterTheRetention) {
  Recorded rec;
  a_.service->runner().start(spec(), rec.callbacks());
  a_.service->stop();  // server A is gone
  PollAnswer claimed = poll(b_);
  ASSERT_TRUE(claimed.job.has_value());
  const std::string job = claimed.job->id;
  ASSERT_TRUE(post_logs(b_, job, 1, {"nobody reads this"}).ok());
  JobResult r;
  r.exit_code = 0;
  ASSERT_TRUE(b_.service->complete(agent_, job, 1, r).ok());
  b_.service->check_leases();
  EXPECT_EQ(spooled_rows(), 2) << "the claim note and the batch wait for an adopter";
  clock_.advance(AgentServiceOptions{}.spool_retention + seconds(61));
  b_.service->check_leases();
  EXPECT_EQ(spooled_rows(), 0);
  EXPECT_EQ(rec.exit_count(), 0u) << "server A was stopped: nothing reached it";
}

// Takeover of a multi-step node (this fixture's two servers on one
// database): each step is a job whose outputs the runner appends to the
// node's output file on ITS server's disk. The server that adopts the
// running step rebuilds the earlier steps' outputs from their stored results
// first, so the node's outputs are whole on the new server.
TEST_F(AgentLogSpoolTest, AnAdoptingServerRebuildsTheOutputsOfTheNodesEarlierSteps) {
  const std::string old_file = dir_.str() + "/out";  // spec()'s OPZENIX_OUTPUT, A's disk
  Recorded first;
  a_.service->runner().start(spec(), first.callbacks());
  PollAnswer one = poll(a_);
  ASSERT_TRUE(one.job.has_value());
  JobResult r1;
  r1.exit_code = 0;
  r1.outputs = {{"version", "1.2.3"}, {"image", "web:1.2.3"}};
  ASSERT_TRUE(a_.service->complete(agent_, one.job->id, 1, r1).ok());
  ASSERT_TRUE(first.wait_exit());

  Recorded second;
  runner::ProcessSpec step2 = spec();
  step2.command = "make deploy";
  a_.service->runner().start(step2, second.callbacks());
  PollAnswer two = poll(a_);
  ASSERT_TRUE(two.job.has_value());
  ASSERT_NE(two.job->id, one.job->id);

  // A is gone; B resumes the execution on its own disk.
  const std::string new_file = dir_.str() + "/out-on-b";
  Recorded adopted;
  runner::Adoption a = b_.service->runner().adopt({"e1", "build", 1, new_file}, adopted.callbacks());
  ASSERT_NE(a.process, runner::kNoProcess);
  EXPECT_EQ(a.command, "make deploy");
  EXPECT_EQ(outputs_in(new_file), (std::map<std::string, std::string>{
                                      {"image", "web:1.2.3"}, {"version", "1.2.3"}}))
      << "the first step's outputs, rebuilt before the second step ends";

  JobResult r2;
  r2.exit_code = 0;
  r2.outputs = {{"url", "https://web.example"}};
  ASSERT_TRUE(b_.service->complete(agent_, two.job->id, 1, r2).ok());
  ASSERT_TRUE(adopted.wait_exit());
  EXPECT_TRUE(adopted.exits[0].success());
  EXPECT_EQ(outputs_in(new_file),
            (std::map<std::string, std::string>{
                {"image", "web:1.2.3"}, {"url", "https://web.example"}, {"version", "1.2.3"}}));
}

// A server whose run was taken over cancels its steps (the engine drops the
// run); for a job the new owner adopted, its runner lets go instead of
// stopping it, so the agent's lines posted to the old server from then on
// are spooled for the new owner rather than handed to dead callbacks.
TEST_F(AgentLogSpoolTest, ARunnerWhoseJobWasAdoptedElsewhereLetsGoAndSpoolsItsLines) {
  Recorded on_a;
  runner::ProcessId pid = a_.service->runner().start(spec(), on_a.callbacks());
  PollAnswer claimed = poll(a_);
  ASSERT_TRUE(claimed.job.has_value());
  const std::string job = claimed.job->id;
  Recorded on_b;
  runner::Adoption adopted =
      b_.service->runner().adopt({"e1", "build", 1, dir_.str() + "/out-on-b"}, on_b.callbacks());
  ASSERT_NE(adopted.process, runner::kNoProcess);

  a_.service->runner().cancel(pid);  // A drops the run it no longer owns
  ASSERT_TRUE(on_a.wait_exit());
  EXPECT_FALSE(a_.service->runner().follows(job));
  ASSERT_TRUE(post_logs(a_, job, 1, {"after the takeover"}).ok());
  JobResult r;
  r.exit_code = 0;
  ASSERT_TRUE(a_.service->complete(agent_, job, 1, r).ok()) << "the job was not cancelled";
  b_.service->check_leases();
  ASSERT_TRUE(on_b.wait_exit());
  EXPECT_TRUE(on_b.exits[0].success());
  EXPECT_EQ(on_b.agent_lines(), std::vector<std::string>{"after the takeover"});
  EXPECT_TRUE(on_a.agent_lines().empty());
}

}  // namespace
}  // namespace opz::agent
