#include "github/trigger_decision.h"

#include <gtest/gtest.h>

#include <string>

#include "github/fixture_files.h"

namespace opz::github {
namespace {

TriggerDecision decide_fixture(const std::string& file) {
  auto event = parse_webhook_event(testing::fixture_event_name(file), testing::read_fixture(file));
  EXPECT_TRUE(event.ok()) << file;
  return event.ok() ? should_trigger(*event) : TriggerDecision{};
}

WebhookEvent push_event(std::string ref, std::string after, bool deleted = false,
                        bool forced = false) {
  PushEvent p;
  p.ref = std::move(ref);
  auto parsed = parse_git_ref(p.ref);
  p.ref_type = parsed.type;
  p.short_ref = parsed.short_name;
  p.after = std::move(after);
  p.deleted = deleted;
  p.forced = forced;
  WebhookEvent e;
  e.event_name = "push";
  e.payload = p;
  return e;
}

WebhookEvent pr_event(std::string action) {
  PullRequestEvent pr;
  pr.action = std::move(action);
  pr.number = 12;
  pr.head_sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
  pr.head_ref = "feature/x";
  pr.base_ref = "main";
  WebhookEvent e;
  e.event_name = "pull_request";
  e.payload = pr;
  return e;
}

TEST(ShouldTrigger, BranchPushRunsThePipeline) {
  TriggerDecision d = decide_fixture("push.branch_multi_commit.json");
  EXPECT_TRUE(d.trigger);
  EXPECT_EQ(d.mode, TriggerMode::kPipeline);
  EXPECT_EQ(d.ref, "refs/heads/release/1.4");
  EXPECT_EQ(d.sha, "c0ffee1234567890abcdef1234567890abcdef12");
  EXPECT_EQ(d.reason, "push to branch 'release/1.4' at c0ffee1");
}

TEST(ShouldTrigger, TagPushRunsThePipeline) {
  TriggerDecision d = decide_fixture("push.tag_created.json");
  EXPECT_TRUE(d.trigger);
  EXPECT_EQ(d.ref, "refs/tags/simple-tag");
  EXPECT_EQ(d.reason, "push to tag 'simple-tag' at 6113728");
}

TEST(ShouldTrigger, ForcedPushSaysSo) {
  TriggerDecision d = should_trigger(push_event("refs/heads/main", "abcdef0123", false, true));
  EXPECT_TRUE(d.trigger);
  EXPECT_EQ(d.reason, "push to branch 'main' at abcdef0 (forced)");
}

TEST(ShouldTrigger, DeletingPushesAreIgnored) {
  TriggerDecision fixture = decide_fixture("push.tag_deleted.json");
  EXPECT_FALSE(fixture.trigger);
  EXPECT_EQ(fixture.mode, TriggerMode::kNone);
  EXPECT_EQ(fixture.reason, "push deletes refs/tags/simple-tag; nothing to build");

  // Either signal alone is enough.
  EXPECT_FALSE(should_trigger(push_event("refs/heads/old", "abc", /*deleted=*/true)).trigger);
  TriggerDecision zeros = should_trigger(push_event("refs/heads/old", std::string(kZeroSha)));
  EXPECT_FALSE(zeros.trigger);
  EXPECT_EQ(zeros.reason, "push deletes refs/heads/old; nothing to build");
}

TEST(ShouldTrigger, PushesOutsideBranchesAndTagsAreIgnored) {
  TriggerDecision d = should_trigger(push_event("refs/notes/commits", "abc"));
  EXPECT_FALSE(d.trigger);
  EXPECT_EQ(d.reason,
            "push to 'refs/notes/commits' is neither a branch (refs/heads/...) nor a tag "
            "(refs/tags/...); nothing to build");
}

// A push names a fully qualified, valid git ref; anything else starts nothing
// (it used to be read as a branch, or mapped through v* to Production).
TEST(ShouldTrigger, RefsGitWouldRefuseAreIgnoredWithTheReason) {
  const std::string sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
  TriggerDecision bare = should_trigger(push_event("main", sha));
  EXPECT_FALSE(bare.trigger);
  EXPECT_NE(bare.reason.find("neither a branch"), std::string::npos) << bare.reason;

  for (const char* ref : {"refs/tags/v1.0.0^{}", "refs/heads/a..b", "refs/tags/v1 0",
                          "refs/heads/x.lock", "refs/heads/.x", "refs/tags/v1.", "refs/heads/a@{1}",
                          "refs/heads/a\x01b", "refs/heads/"}) {
    TriggerDecision d = should_trigger(push_event(ref, sha));
    EXPECT_FALSE(d.trigger) << ref;
    EXPECT_NE(d.reason.find("not a valid git ref name"), std::string::npos) << d.reason;
  }
  TriggerDecision nul = should_trigger(push_event(std::string("refs/heads/ma\0in", 16), sha));
  EXPECT_FALSE(nul.trigger);
  EXPECT_NE(nul.reason.find("control character 0x00"), std::string::npos) << nul.reason;

  WebhookEvent pr = pr_event("opened");
  std::get<PullRequestEvent>(pr.payload).head_ref = "feature/x~1";
  TriggerDecision d = should_trigger(pr);
  EXPECT_FALSE(d.trigger);
  EXPECT_NE(d.reason.find("pull_request.head.ref"), std::string::npos) << d.reason;

  WebhookEvent create;
  create.event_name = "create";
  create.payload = CreateEvent{"v1.0.0^{}", RefType::kTag};
  EXPECT_FALSE(should_trigger(create).trigger);

  WebhookEvent release;
  release.event_name = "release";
  ReleaseEvent r;
  r.action = "published";
  r.tag_name = "v2..0";
  release.payload = r;
  TriggerDecision rd = should_trigger(release);
  EXPECT_FALSE(rd.trigger);
  EXPECT_NE(rd.reason.find("'v2..0'"), std::string::npos) << rd.reason;
}

TEST(ShouldTrigger, PullRequestsRunCiOnlyForOpenedSynchronizeReopened) {
  for (const char* action : {"opened", "synchronize", "reopened"}) {
    TriggerDecision d = should_trigger(pr_event(action));
    EXPECT_TRUE(d.trigger) << action;
    EXPECT_EQ(d.mode, TriggerMode::kCiOnly) << action;
    EXPECT_EQ(d.ref, "refs/pull/12/head");
    EXPECT_EQ(d.sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  }
  EXPECT_EQ(should_trigger(pr_event("opened")).reason,
            "pull_request #12 opened (feature/x -> main at ec26c3e): CI only, pull requests "
            "never deploy");
  EXPECT_EQ(decide_fixture("pull_request.opened.json").mode, TriggerMode::kCiOnly);
  EXPECT_EQ(decide_fixture("pull_request.synchronize.json").mode, TriggerMode::kCiOnly);
}

TEST(ShouldTrigger, OtherPullRequestActionsAreIgnored) {
  TriggerDecision closed = decide_fixture("pull_request.closed.json");
  EXPECT_FALSE(closed.trigger);
  EXPECT_EQ(closed.reason,
            "pull_request #2 action 'closed' is not handled (only opened, synchronize, reopened)");
  for (const char* action : {"labeled", "edited", "assigned", "ready_for_review"}) {
    EXPECT_FALSE(should_trigger(pr_event(action)).trigger) << action;
  }
}

TEST(ShouldTrigger, CreateRunsOnlyForTags) {
  TriggerDecision tag = decide_fixture("create.tag.json");
  EXPECT_TRUE(tag.trigger);
  EXPECT_EQ(tag.mode, TriggerMode::kPipeline);
  EXPECT_EQ(tag.ref, "refs/tags/simple-tag");
  EXPECT_EQ(tag.sha, "");
  EXPECT_EQ(tag.reason, "tag 'simple-tag' created");

  CreateEvent branch;
  branch.ref = "feature/x";
  branch.ref_type = RefType::kBranch;
  WebhookEvent e;
  e.event_name = "create";
  e.payload = branch;
  TriggerDecision d = should_trigger(e);
  EXPECT_FALSE(d.trigger);
  EXPECT_EQ(d.reason,
            "create of branch 'feature/x' is not handled (only tags; the push event covers "
            "branches)");
}

TEST(ShouldTrigger, ReleaseRunsOnlyWhenPublished) {
  TriggerDecision published = decide_fixture("release.published.json");
  EXPECT_TRUE(published.trigger);
  EXPECT_EQ(published.ref, "refs/tags/0.0.1");
  EXPECT_EQ(published.reason, "release '0.0.1' published");

  TriggerDecision created = decide_fixture("release.created.json");
  EXPECT_FALSE(created.trigger);
  EXPECT_EQ(created.reason, "release action 'created' is not handled (only published)");

  ReleaseEvent pre;
  pre.action = "published";
  pre.tag_name = "v2.0.0-rc1";
  pre.prerelease = true;
  WebhookEvent e;
  e.event_name = "release";
  e.payload = pre;
  EXPECT_EQ(should_trigger(e).reason, "release 'v2.0.0-rc1' published (prerelease)");
}

TEST(ShouldTrigger, WorkflowRunCountsOnlyWhenCompleted) {
  TriggerDecision done = decide_fixture("workflow_run.completed.json");
  EXPECT_TRUE(done.trigger);
  EXPECT_EQ(done.mode, TriggerMode::kWorkflowFinished);
  EXPECT_EQ(done.sha, "3484a3fb816e0859fd6e1cea078d76385ff50625");
  EXPECT_EQ(done.ref, "refs/heads/master");
  // The example run has an empty name, so the workflow path identifies it.
  EXPECT_EQ(done.reason, "workflow run 289782451 '.github/workflows/test.yml' completed: success");

  TriggerDecision requested = decide_fixture("workflow_run.requested.json");
  EXPECT_FALSE(requested.trigger);
  EXPECT_EQ(requested.reason, "workflow_run action 'requested' is not handled (only completed)");
}

TEST(ShouldTrigger, PingRunsNothing) {
  TriggerDecision d = decide_fixture("ping.repository.json");
  EXPECT_FALSE(d.trigger);
  EXPECT_EQ(d.reason, "ping: webhook is reachable; nothing to run");
}

TEST(ShouldTrigger, UnhandledEventsAreIgnoredByName) {
  TriggerDecision d = decide_fixture("issues.opened.json");
  EXPECT_FALSE(d.trigger);
  EXPECT_EQ(d.reason, "event 'issues' is not handled");
}

TEST(TriggerModeName, NamesEveryMode) {
  EXPECT_EQ(trigger_mode_name(TriggerMode::kNone), "none");
  EXPECT_EQ(trigger_mode_name(TriggerMode::kPipeline), "pipeline");
  EXPECT_EQ(trigger_mode_name(TriggerMode::kCiOnly), "ci_only");
  EXPECT_EQ(trigger_mode_name(TriggerMode::kWorkflowFinished), "workflow_finished");
}

}  // namespace
}  // namespace opz::github
