#include "trigger/git_poller.h"

#include <gtest/gtest.h>

#include "trigger/git_repo_fixture.h"
#include "trigger/mapping_rules.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

class GitPollerTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    polls_ = std::make_unique<store::GitPollStore>(*db_, clock_);
    mappings_ = std::make_unique<store::BranchMappingStore>(*db_, clock_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    store::ProjectFields f;
    f.git_url = repo_.url();
    f.poll_interval_seconds = 5;
    auto p = projects_->update_project(project_.id, f);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    project_ = *p;
    // develop -> dev, main -> staging, v* -> prod (creates the environments).
    std::vector<store::BranchMappingRecord> rules;
    for (const auto& r : governance::gitops_rules()) rules.push_back(to_record(r));
    ASSERT_TRUE(mappings_->replace(project_.id, rules, true).ok());
    poller_ = std::make_unique<GitPoller>(GitPollerDeps{*db_, *projects_, *polls_, *mappings_,
                                                        *audit_, *submitter_, metrics_, clock_,
                                                        GitRemoteOptions{}});
  }
  PollReport poll() {
    auto r = poller_->poll_project(project_);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : PollReport{};
  }

  testing::GitRepo repo_;
  TriggerMetrics metrics_{nullptr};
  std::unique_ptr<store::GitPollStore> polls_;
  std::unique_ptr<store::BranchMappingStore> mappings_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<GitPoller> poller_;
};

TEST_F(GitPollerTest, FirstSightRecordsRefsWithoutTriggering) {
  repo_.commit_and_push("main", "a.txt", "1");
  PollReport first = poll();
  EXPECT_TRUE(first.first_sight);
  EXPECT_TRUE(submitter_->requests().empty());
  auto stored = polls_->load(project_.id);
  EXPECT_EQ(stored->refs.size(), 1u);
  PollReport again = poll();
  EXPECT_FALSE(again.first_sight);
  EXPECT_TRUE(again.executions.empty()) << "nothing moved";
}

TEST_F(GitPollerTest, EachNewCommitOnAMappedRefTriggersExactlyOnce) {
  repo_.commit_and_push("main", "a.txt", "1");
  poll();
  const std::string main2 = repo_.commit_and_push("main", "a.txt", "2");
  const std::string dev = repo_.commit_and_push("develop", "b.txt", "1");
  repo_.commit_and_push("spike", "c.txt", "1");  // mapped by no rule
  PollReport r = poll();
  EXPECT_EQ(r.executions.size(), 2u);
  ASSERT_EQ(r.ignored.size(), 1u);
  EXPECT_NE(r.ignored[0].find("refs/heads/spike"), std::string::npos);
  auto reqs = submitter_->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].branch, "develop");  // refs are handled in name order
  EXPECT_EQ(reqs[0].environment, "dev");
  EXPECT_EQ(reqs[0].commit_sha, dev);
  EXPECT_EQ(reqs[0].trigger_type, "poll");
  EXPECT_EQ(reqs[0].metadata["image_tag"], "dev-" + dev.substr(0, 7));
  EXPECT_EQ(reqs[1].environment, "staging");
  EXPECT_EQ(reqs[1].commit_sha, main2);
  EXPECT_EQ(reqs[1].metadata["replicas"], 2);
  EXPECT_EQ(reqs[1].workspace.git_url, repo_.url());

  EXPECT_TRUE(poll().executions.empty());
  EXPECT_EQ(submitter_->requests().size(), 2u);

  const std::string tag_sha = repo_.tag_and_push("v1.0.0", true);
  r = poll();
  ASSERT_EQ(r.executions.size(), 1u);
  EXPECT_EQ(submitter_->requests().back().tag, "v1.0.0");
  EXPECT_EQ(submitter_->requests().back().commit_sha, tag_sha);
  EXPECT_EQ(submitter_->requests().back().environment, "prod");
}

TEST_F(GitPollerTest, AFreshPollerAfterARestartTriggersOnlyWhatIsNew) {
  repo_.commit_and_push("main", "a.txt", "1");
  poll();
  repo_.commit_and_push("main", "a.txt", "2");
  EXPECT_EQ(poll().executions.size(), 1u);
  GitPoller restarted(GitPollerDeps{*db_, *projects_, *polls_, *mappings_, *audit_, *submitter_,
                                    metrics_, clock_, GitRemoteOptions{}});
  auto r = restarted.poll_project(project_);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->executions.empty());
  EXPECT_EQ(submitter_->requests().size(), 1u);
}

TEST_F(GitPollerTest, ACrashAfterTheExecutionWasCreatedDoesNotTriggerTwice) {
  repo_.commit_and_push("main", "a.txt", "1");
  poll();
  const std::string sha = repo_.commit_and_push("main", "a.txt", "2");
  // The execution exists (engine committed it) but the ref was never recorded.
  engine::NewExecution e;
  e.name = "Deploy";
  e.project_id = project_.id;
  e.trigger_type = "poll";
  e.metadata = {{"trigger_key", "poll:" + project_.id + ":refs/heads/main:" + sha}};
  auto created = submitter_->submit({{}, e});
  ASSERT_TRUE(created.ok());
  PollReport r = poll();
  ASSERT_EQ(r.executions.size(), 1u);
  EXPECT_EQ(r.executions[0], created->id);
  EXPECT_EQ(submitter_->requests().size(), 1u);
  EXPECT_EQ(polls_->load(project_.id)->refs["refs/heads/main"], sha);
}

TEST_F(GitPollerTest, AFailedSubmitIsRetriedAtTheNextPollAndDeletedRefsAreForgotten) {
  repo_.commit_and_push("main", "a.txt", "1");
  repo_.commit_and_push("develop", "b.txt", "1");
  poll();
  repo_.commit_and_push("develop", "b.txt", "2");
  submitter_->fail_with(Error::unavailable("engine stopping"));
  EXPECT_FALSE(poller_->poll_project(project_).ok());
  submitter_->fail_with(std::nullopt);
  EXPECT_EQ(poll().executions.size(), 1u);
  repo_.delete_remote_branch("develop");
  poll();
  EXPECT_EQ(polls_->load(project_.id)->refs.count("refs/heads/develop"), 0u);
}

TEST_F(GitPollerTest, AnUnreachableRepositoryRecordsTheError) {
  repo_.commit_and_push("main", "a.txt", "1");
  poll();
  store::ProjectRecord broken = project_;
  broken.git_url = project_.git_url;  // same URL, but make it unreachable:
  GitRemoteOptions o;
  o.git = "/nonexistent/git";
  GitPoller p(GitPollerDeps{*db_, *projects_, *polls_, *mappings_, *audit_, *submitter_, metrics_,
                            clock_, o});
  EXPECT_FALSE(p.poll_project(broken).ok());
  EXPECT_FALSE(polls_->load(project_.id)->state->last_error.empty());
}

TEST_F(GitPollerTest, PollDueRespectsTheInterval) {
  repo_.commit_and_push("main", "a.txt", "1");
  EXPECT_EQ(poller_->poll_due(), 1);
  EXPECT_EQ(poller_->poll_due(), 0) << "polled less than 5 s ago";
}

}  // namespace
}  // namespace opz::trigger
