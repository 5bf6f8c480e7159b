#include "trigger/run_queue_runner.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using testing::RecordingSubmitter;

class RunQueueRunnerTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    queue_ = std::make_unique<store::RunQueueStore>(*db_, clock_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
  }

  // The audit entries of `action`, oldest first.
  std::vector<audit::AuditRecord> audited(const std::string& action) {
    audit::AuditFilter f;
    f.action = action;
    auto page = audit_->list(f, store::PageRequest{"", 100});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<audit::AuditRecord>{};
  }

  std::string enqueue(const std::string& branch) {
    auto r = queue_->enqueue({project_.id, branch, "", "manual", "user-1"});
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? r->id : std::string();
  }

  // What the server's request builder does, reduced: the row's project and
  // branch into a Development execution; "nopipe" has no pipeline.
  Result<AdmissionRequest> build(const store::RunQueueRecord& row) {
    {
      std::lock_guard lock(mu_);
      built_.push_back(row.id);
    }
    cv_.notify_all();
    if (row.branch == "nopipe") return Error::validation("project has no pipeline", "project_id");
    AdmissionRequest a;
    a.request.project_id = row.project_id;
    a.request.environment = "Development";
    a.request.ref_name = row.branch;
    a.execution.project_id = row.project_id;
    a.execution.environment = "Development";
    a.execution.branch = row.branch;
    a.execution.name = "Build " + row.branch;
    return a;
  }

  RunQueueRunner make_runner() {
    return RunQueueRunner({*db_, clock_, *audit_, *submitter_,
                           [this](const store::RunQueueRecord& r) { return build(r); }});
  }

  // Blocks until `n` rows were built (the runner's thread got to them).
  bool wait_built(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [&] { return built_.size() >= n; });
  }

  std::unique_ptr<store::RunQueueStore> queue_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> built_;
};

TEST_F(RunQueueRunnerTest, EachQueuedBuildBecomesOneExecutionOldestFirst) {
  const std::string a = enqueue("main");
  const std::string b = enqueue("develop");
  RunQueueRunner runner = make_runner();
  auto report = runner.drain();
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->dispatched, 2);
  EXPECT_EQ(report->failed, 0);
  ASSERT_EQ(built_, (std::vector<std::string>{a, b}));

  const auto requests = submitter_->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].branch, "main");
  EXPECT_EQ(requests[0].metadata["ops_build_id"], a);
  EXPECT_EQ(requests[1].metadata["ops_build_id"], b);
  auto row = queue_->find(a);
  EXPECT_EQ(row->status, "dispatched");
  EXPECT_FALSE(row->execution_id.empty());
  EXPECT_NE(row->execution_id, queue_->find(b)->execution_id);

  // Each with its audit entry, written with the row's move.
  const auto entries = audited("ops.build_dispatched");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].entry.user_id, "user-1");
  EXPECT_EQ(entries[0].entry.resource_type, "execution");

  // Nothing is queued any more: a second drain starts nothing.
  EXPECT_EQ(runner.drain()->dispatched, 0);
  EXPECT_EQ(submitter_->requests().size(), 2u);
}

TEST_F(RunQueueRunnerTest, ABuildWithoutAPipelineFailsWithTheReasonAndIsNotSubmitted) {
  const std::string bad = enqueue("nopipe");
  const std::string good = enqueue("main");
  RunQueueRunner runner = make_runner();
  auto report = runner.drain();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->failed, 1);
  EXPECT_EQ(report->dispatched, 1);
  auto row = queue_->find(bad);
  EXPECT_EQ(row->status, "failed");
  EXPECT_EQ(row->error, "project has no pipeline");
  EXPECT_EQ(submitter_->requests().size(), 1u);
  const auto entries = audited("ops.build_failed");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].entry.details["build_id"], bad);
  EXPECT_EQ(entries[0].entry.details["error"], "project has no pipeline");
  EXPECT_EQ(queue_->find(good)->status, "dispatched");
}

TEST_F(RunQueueRunnerTest, GovernanceRefusingTheRequesterFailsTheRow) {
  const std::string id = enqueue("main");
  submitter_->fail_with(Error::forbidden("Production requires the admin role"));
  RunQueueRunner runner = make_runner();
  EXPECT_EQ(runner.drain()->failed, 1);
  auto row = queue_->find(id);
  EXPECT_EQ(row->status, "failed");
  EXPECT_EQ(row->error, "Production requires the admin role");
  EXPECT_EQ(submitter_->admissions().size(), 1u);  // it went through admission
}

TEST_F(RunQueueRunnerTest, AnUnavailableEngineLeavesTheRowQueuedForTheNextDrain) {
  const std::string id = enqueue("main");
  submitter_->fail_with(Error::unavailable("the execution engine is not running"));
  RunQueueRunner runner = make_runner();
  auto first = runner.drain();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->deferred, 1);
  EXPECT_EQ(queue_->find(id)->status, "queued");

  submitter_->fail_with(std::nullopt);
  EXPECT_EQ(runner.drain()->dispatched, 1);
  EXPECT_EQ(queue_->find(id)->status, "dispatched");
}

TEST_F(RunQueueRunnerTest, AnExecutionCreatedBeforeACrashIsRecordedNotStartedAgain) {
  const std::string id = enqueue("main");
  // The previous process submitted the build and stopped before marking it.
  auto row = queue_->find(id);
  AdmissionRequest earlier = *build(*row);
  earlier.execution.metadata["ops_build_id"] = id;
  auto created = submitter_->submit(std::move(earlier));
  ASSERT_TRUE(created.ok());

  RunQueueRunner runner = make_runner();
  auto report = runner.drain();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->dispatched, 1);
  EXPECT_EQ(submitter_->requests().size(), 1u);  // only the one before the crash
  EXPECT_EQ(queue_->find(id)->execution_id, created->id);
}

TEST_F(RunQueueRunnerTest, TheThreadDrainsRowsQueuedBeforeStartAndOnWake) {
  const std::string before = enqueue("main");
  RunQueueRunner runner = make_runner();
  runner.start();
  ASSERT_TRUE(wait_built(1));
  const std::string after = enqueue("develop");
  runner.wake();
  ASSERT_TRUE(wait_built(2));
  runner.stop();  // joins: the pass in progress finishes first
  EXPECT_EQ(queue_->find(before)->status, "dispatched");
  EXPECT_EQ(queue_->find(after)->status, "dispatched");
  EXPECT_EQ(submitter_->requests().size(), 2u);
}

}  // namespace
}  // namespace opz::trigger
