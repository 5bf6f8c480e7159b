// Engine::submit_many: many executions created as submit() creates one (the
// execution row, its nodes, the "created" state event), in one journal write
// per chunk, each request validated alone, the held ones left paused.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <variant>

#include "engine_fixture.h"

namespace opz::engine {
namespace {

constexpr const char* kPipeline = R"(
name: batch
nodes:
  build:
    run: echo built
  test:
    needs: [build]
    run: echo tested
)";

// The database journal, counting how the engine writes new executions.
class CountingJournal final : public ExecutionJournal {
 public:
  explicit CountingJournal(ExecutionJournal& inner) : inner_(inner) {}
  Status create(const store::ExecutionRecord& execution,
                const std::vector<store::ExecutionNodeRecord>& nodes) override {
    ++creates;
    return inner_.create(execution, nodes);
  }
  Status create_many(const std::vector<store::NewExecutionRows>& executions) override {
    batches.push_back(executions.size());
    return inner_.create_many(executions);
  }
  Result<store::BatchResult> apply(const store::ExecutionBatch& batch) override {
    ++applies;
    {
      std::lock_guard lock(mu_);
      for (const store::RowChange& change : batch.changes)
        if (const auto* e = std::get_if<store::ExecutionChange>(&change);
            e && e->previous_status == e->row.status)
          progress_writes_.push_back(e->row.progress);
    }
    return inner_.apply(batch);
  }
  // The progress values written on their own (no status change), in order.
  std::vector<int> progress_writes() const {
    std::lock_guard lock(mu_);
    return progress_writes_;
  }
  Result<store::ExecutionDetail> load(const std::string& id) override { return inner_.load(id); }
  Result<std::vector<store::ExecutionRecord>> unfinished() override {
    return inner_.unfinished();
  }
  Result<store::CheckpointRecord> checkpoint(const std::string& id) override {
    return inner_.checkpoint(id);
  }
  Result<std::vector<store::ApprovalRequestRecord>> approval_requests(
      const std::string& id) override {
    return inner_.approval_requests(id);
  }
  Result<std::vector<store::ArtifactRecord>> artifacts(const std::string& id) override {
    return inner_.artifacts(id);
  }

  int creates = 0;
  std::atomic<int> applies{0};  // commits of the engine's rounds
  std::vector<size_t> batches;

 private:
  ExecutionJournal& inner_;
  mutable std::mutex mu_;
  std::vector<int> progress_writes_;
};

class EngineSubmitManyTest : public EngineFixture {
 protected:
  void start_counting_engine() {
    counting_ = std::make_unique<CountingJournal>(*journal_);
    engine_ = std::make_unique<Engine>(*counting_, runner_, bus_, SystemClock::instance(), options_);
    engine_->start();
  }
  // What submit() and submit_many() must write alike, ids aside.
  static std::vector<std::string> shape(const store::ExecutionDetail& d) {
    std::vector<std::string> out = {d.execution.name + " " + d.execution.status + " " +
                                    d.execution.environment + " " + d.execution.branch + " " +
                                    d.execution.metadata["pipeline_source"].get<std::string>()};
    for (const auto& n : d.nodes)
      out.push_back(n.node_id + " " + n.type + " " + n.status + " " +
                    std::to_string(n.position) + " " + std::to_string(n.max_attempts));
    return out;
  }
  std::vector<std::string> state_events(const std::string& id) {
    std::vector<std::string> out;
    auto events = history_->state_events(id);
    EXPECT_TRUE(events.ok());
    if (events)
      for (const auto& e : *events)
        out.push_back((e.node_id.empty() ? "execution" : e.node_id) + " '" + e.old_state +
                      "' -> " + e.new_state + " (" + e.reason + ")");
    return out;
  }

  std::unique_ptr<CountingJournal> counting_;
};

TEST_F(EngineSubmitManyTest, CreatesEveryValidExecutionInOneWriteAndAnswersInOrder) {
  start_counting_engine();
  NewExecution held = request(kPipeline);
  held.held = true;
  held.governance_status = "pending_approval";
  NewExecution invalid = request(kPipeline);
  invalid.pipeline.reset();  // no pipeline: kValidation, alone
  NewExecution named = request(kPipeline);
  named.id = "0b5e7c1e-0000-4000-8000-00000000beef";

  std::vector<NewExecution> batch;
  batch.push_back(request(kPipeline));
  batch.push_back(std::move(held));
  batch.push_back(std::move(invalid));
  batch.push_back(std::move(named));
  auto results = engine_->submit_many(std::move(batch));

  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().to_string();
  ASSERT_TRUE(results[1].ok()) << results[1].error().to_string();
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().code, ErrorCode::kValidation);
  EXPECT_EQ(results[2].error().field, "pipeline");
  ASSERT_TRUE(results[3].ok()) << results[3].error().to_string();
  EXPECT_EQ(results[3]->id, "0b5e7c1e-0000-4000-8000-00000000beef");
  EXPECT_EQ(counting_->batches, std::vector<size_t>{3});
  EXPECT_EQ(counting_->creates, 0);

  // The held one stays paused with its nodes pending; the others run.
  EXPECT_EQ(results[1]->status, "paused");
  EXPECT_EQ(wait_finished(results[0]->id), "success") << describe(results[0]->id);
  EXPECT_EQ(wait_finished(results[3]->id), "success") << describe(results[3]->id);
  const store::ExecutionDetail paused = detail(results[1]->id);
  EXPECT_EQ(paused.execution.status, "paused");
  EXPECT_EQ(paused.execution.governance_status, "pending_approval");
  ASSERT_EQ(paused.nodes.size(), 2u);
  EXPECT_EQ(paused.nodes[0].status, "pending");
  EXPECT_EQ(state_events(results[1]->id),
            std::vector<std::string>{"execution '' -> paused (created)"});
  EXPECT_EQ(log_messages(results[0]->id, "test", "stdout"), std::vector<std::string>{"tested"});
}

TEST_F(EngineSubmitManyTest, WritesTheRowsAndEventsSubmitWrites) {
  start_counting_engine();
  NewExecution one = request(kPipeline);
  one.held = true;
  auto alone = engine_->submit(std::move(one));
  ASSERT_TRUE(alone.ok()) << alone.error().to_string();
  std::vector<NewExecution> batch;
  batch.push_back(request(kPipeline));
  batch.back().held = true;
  auto together = engine_->submit_many(std::move(batch));
  ASSERT_TRUE(together[0].ok()) << together[0].error().to_string();

  EXPECT_EQ(shape(detail(alone->id)), shape(detail(together[0]->id)));
  EXPECT_EQ(shape(detail(together[0]->id)),
            (std::vector<std::string>{"batch @ 0123456 paused Development main given",
                                      "build run pending 0 1", "test run pending 1 1"}));
  EXPECT_EQ(state_events(alone->id), state_events(together[0]->id));
  EXPECT_EQ(counting_->batches, (std::vector<size_t>{1, 1}));  // submit() is a batch of one
}

TEST_F(EngineSubmitManyTest, WritesAChunkPerTransactionPastTheChunkSize) {
  start_counting_engine();
  std::vector<NewExecution> batch;
  for (size_t i = 0; i < Engine::kSubmitChunk + 5; ++i) {
    batch.push_back(request(kPipeline));
    batch.back().held = true;
  }
  auto results = engine_->submit_many(std::move(batch));
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(counting_->batches, (std::vector<size_t>{Engine::kSubmitChunk, 5}));
  store::ExecutionFilter paused;
  paused.status = "paused";
  store::PageRequest all;
  all.limit = 500;
  auto page = executions_->list(paused, all);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), Engine::kSubmitChunk + 5);
}

TEST_F(EngineSubmitManyTest, AStoppedEngineAnswersUnavailableForEach) {
  start_counting_engine();
  engine_->stop();
  std::vector<NewExecution> batch;
  batch.push_back(request(kPipeline));
  batch.push_back(request(kPipeline));
  auto results = engine_->submit_many(std::move(batch));
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_TRUE(counting_->batches.empty());
}

// The commit window (EngineOptions::commit_window): the loop's rounds that
// come back to back share commits, and nothing is lost or reordered.
std::string independent_true_steps(int n) {
  std::string yaml = "nodes:\n";
  for (int i = 0; i < n; ++i) yaml += "  n" + std::to_string(i) + ": {run: 'true'}\n";
  return yaml;
}

TEST_F(EngineSubmitManyTest, BackToBackRoundsShareCommitsAndWriteEveryChange) {
  const std::string yaml = independent_true_steps(40);
  std::vector<int> commits;
  std::vector<std::vector<std::string>> transitions;
  for (auto window : {std::chrono::milliseconds(0), std::chrono::milliseconds(100)}) {
    options_.commit_window = window;
    options_.max_parallel = 2;
    start_counting_engine();
    const std::string id = submit(yaml);
    ASSERT_EQ(wait_finished(id), "success");
    auto detail = journal_->load(id);
    ASSERT_TRUE(detail.ok());
    for (const auto& n : detail->nodes) EXPECT_EQ(n.status, "success") << n.node_id;
    EXPECT_EQ(detail->execution.progress, 100);
    // Every transition is written: the same ones as without the window.
    std::vector<std::string> per_node = state_events(id);
    std::sort(per_node.begin(), per_node.end());
    transitions.push_back(per_node);
    commits.push_back(counting_->applies.load());
    engine_->stop();
    engine_.reset();
  }
  EXPECT_EQ(transitions[0], transitions[1]);
  EXPECT_EQ(transitions[1].size(), 40u * 2 + 3);  // each node's two, the execution's three
  // 40 steps two at a time: rounds of a few starts and exits each without
  // the window; with it, the rounds within 100 ms of a commit share the next.
  EXPECT_GE(commits[0], 10);
  EXPECT_LT(commits[1] * 4, commits[0]) << commits[0] << " against " << commits[1];
}

TEST_F(EngineSubmitManyTest, ACommandCommitsAtOnceWhateverTheWindow) {
  options_.commit_window = std::chrono::seconds(30);
  start_counting_engine();
  const std::string id = submit("nodes:\n  long: {run: 'sleep 30'}\n");
  // Running once its node runs (the first commit after a quiet spell is at once).
  ASSERT_TRUE(wait_node(id, "long", "running"));
  const auto before = std::chrono::steady_clock::now();
  ASSERT_TRUE(engine_->cancel(id, "not needed", "alice").ok());
  // Durable when cancel() answers, not 30 s later.
  auto detail = journal_->load(id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->execution.status, "cancelled");
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(10));
}

// What waits for the window when the engine stops is written, not lost.
TEST_F(EngineSubmitManyTest, StopWritesWhatWaitsForTheCommitWindow) {
  options_.commit_window = std::chrono::seconds(30);
  start_counting_engine();
  const std::string marker = dir_.str() + "/b-ran";
  const std::string id =
      submit("nodes:\n  a: {run: 'true'}\n  b: {needs: a, run: 'touch " + marker + "'}\n");
  for (int i = 0; i < 1000 && !std::filesystem::exists(marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(std::filesystem::exists(marker));
  // b's exit handled: its end and the execution's wait for the window.
  for (int i = 0; i < 1000; ++i) {
    auto snapshot = engine_->snapshot();
    ASSERT_TRUE(snapshot.ok());
    if (snapshot->running_processes == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(journal_->load(id)->execution.status, "running");
  engine_->stop();
  auto detail = journal_->load(id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->execution.status, "success");
  for (const auto& n : detail->nodes) EXPECT_EQ(n.status, "success") << n.node_id;
}

// The progress column (EngineOptions::progress_interval): written at most
// once per interval while the execution runs, always at its end.
TEST_F(EngineSubmitManyTest, ProgressIsWrittenAtMostOncePerInterval) {
  const std::string yaml = independent_true_steps(40);
  std::vector<std::vector<int>> writes;
  for (auto interval : {std::chrono::milliseconds(0), std::chrono::milliseconds(3'600'000)}) {
    options_.progress_interval = interval;
    options_.max_parallel = 2;
    start_counting_engine();
    const std::string id = submit(yaml);
    ASSERT_EQ(wait_finished(id), "success");
    EXPECT_EQ(detail(id).execution.progress, 100);
    writes.push_back(counting_->progress_writes());
    engine_->stop();
    engine_.reset();
  }
  // Every change without the interval: 40 nodes, 2.5 % each, a few per round.
  EXPECT_GE(writes[0].size(), 10u);
  EXPECT_TRUE(std::is_sorted(writes[0].begin(), writes[0].end()));
  // With an hour's interval only the first change is written on its own; the
  // end writes 100 with the status.
  ASSERT_EQ(writes[1].size(), 1u) << writes[1].size();
  EXPECT_GT(writes[1][0], 0);
  EXPECT_LT(writes[1][0], 100);
}

TEST_F(EngineSubmitManyTest, AHeldProgressIsWrittenWhenItsIntervalIsOverWhileNothingElseHappens) {
  options_.progress_interval = std::chrono::seconds(2);
  options_.max_parallel = 2;
  start_counting_engine();
  // a's end writes 33 at once; b's, 0.2 s later, is held (within 2 s of a's);
  // then nothing changes for 20 s while c runs, so only the held write's own
  // round can write 66.
  const std::string id = submit(
      "nodes:\n  a: {run: 'true'}\n  b: {run: 'sleep 0.2'}\n"
      "  c: {needs: [a, b], run: 'sleep 20'}\n");
  ASSERT_TRUE(wait_node(id, "c", "running"));
  int progress = 0;
  for (int i = 0; i < 1000 && progress != 66; ++i) {
    progress = detail(id).execution.progress;
    if (progress != 66) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(progress, 66);  // two of three nodes
  EXPECT_EQ(counting_->progress_writes(), (std::vector<int>{33, 66}));
  ASSERT_TRUE(engine_->cancel(id, "test over", "alice").ok());
}

}  // namespace
}  // namespace opz::engine
