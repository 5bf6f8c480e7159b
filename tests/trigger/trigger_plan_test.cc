#include "trigger/trigger_plan.h"

#include <gtest/gtest.h>

#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using governance::BranchMapper;
using testing::sha_of;

TriggerContext webhook_context() {
  TriggerContext c;
  c.source = "github_webhook";
  c.delivery_id = "d-1";
  c.delivery_guid = "guid-1";
  c.project_id = "p-1";
  c.git_url = "/srv/git/demo.git";
  c.integration_actor = "admin-id";
  c.repository_owner = "octo";
  c.repository_name = "demo";
  return c;
}

TriggerFacts push_facts(const std::string& ref, const std::string& sha) {
  TriggerFacts f;
  f.event = "push";
  f.trigger_type = ref.starts_with("refs/tags/") ? "tag" : "push";
  f.ref = ref;
  f.sha = sha;
  f.actor = "github:mona";
  return f;
}

TEST(TriggerPlanTest, PushToMainStartsADeployWithEverythingTheExecutionCarries) {
  BranchMapper mapper(governance::default_rules());
  const std::string sha = "abcdef1234567890abcdef1234567890abcdef12";
  TriggerPlan plan = plan_trigger(push_facts("refs/heads/main", sha), mapper, webhook_context());
  ASSERT_EQ(plan.kind, PlanKind::kStart) << plan.reason;
  const engine::NewExecution& e = plan.execution;
  EXPECT_EQ(e.name, "Deploy abcdef1");
  EXPECT_EQ(e.project_id, "p-1");
  EXPECT_EQ(e.environment, "Production");
  EXPECT_EQ(e.branch, "main");
  EXPECT_EQ(e.tag, "");
  EXPECT_EQ(e.commit_sha, sha);
  EXPECT_EQ(e.started_by, "github:mona");
  EXPECT_EQ(e.trigger_type, "push");
  // Nothing is admitted here: the typed request goes to the admission path.
  EXPECT_TRUE(e.governance_status.empty());
  EXPECT_EQ(plan.request.environment, "Production");
  EXPECT_EQ(plan.request.ref_kind, governance::RefKind::kBranch);
  EXPECT_EQ(plan.request.ref_name, "main");
  EXPECT_EQ(plan.request.commit_sha, sha);
  EXPECT_EQ(plan.request.trigger, governance::TriggerKind::kWebhook);
  EXPECT_FALSE(plan.request.requester_role.has_value());
  EXPECT_EQ(plan.request.trigger_key, plan.trigger_key);
  EXPECT_TRUE(e.pipeline_from_repository);
  EXPECT_EQ(e.workspace.kind, engine::WorkspaceSource::Kind::kGit);
  EXPECT_EQ(e.workspace.git_url, "/srv/git/demo.git");
  EXPECT_FALSE(plan.ci_only);
  EXPECT_EQ(plan.trigger_key, "delivery:d-1");
  const Json& m = e.metadata;
  EXPECT_EQ(m["delivery_id"], "d-1");
  EXPECT_EQ(m["delivery_guid"], "guid-1");
  EXPECT_EQ(m["event"], "push");
  EXPECT_EQ(m["ref"], "refs/heads/main");
  EXPECT_EQ(m["image_tag"], "main-abcdef1");
  EXPECT_EQ(m["replicas"], 1);
  EXPECT_EQ(m["deployable"], true);
  EXPECT_EQ(m["ci_only"], false);
  EXPECT_EQ(m["source"], "github_webhook");
  EXPECT_EQ(m["github"]["full_name"], "octo/demo");
  EXPECT_EQ(m["mapping"]["pattern"], "main");
  EXPECT_NE(m["mapping"]["explanation"].get<std::string>().find("matched rule #1"),
            std::string::npos);
}

TEST(TriggerPlanTest, UnmappedRefStartsNothingAndSaysWhy) {
  BranchMapper mapper(governance::default_rules());
  TriggerPlan plan =
      plan_trigger(push_facts("refs/heads/spike", sha_of('a')), mapper, webhook_context());
  EXPECT_EQ(plan.kind, PlanKind::kIgnore);
  EXPECT_NE(plan.reason.find("no rule matches branch 'spike'"), std::string::npos) << plan.reason;
}

TEST(TriggerPlanTest, NonDeployableBranchRunsCiOnly) {
  BranchMapper mapper(governance::default_rules());
  TriggerPlan plan =
      plan_trigger(push_facts("refs/heads/feature/login", sha_of('b')), mapper, webhook_context());
  ASSERT_EQ(plan.kind, PlanKind::kStart);
  EXPECT_TRUE(plan.ci_only);
  EXPECT_EQ(plan.execution.environment, "Development");
  EXPECT_EQ(plan.execution.metadata["ci_only"], true);
  EXPECT_EQ(plan.execution.metadata["deployable"], false);
}

TEST(TriggerPlanTest, PullRequestsNeverDeployAndFallBackToDevelopment) {
  BranchMapper mapper(governance::default_rules());
  TriggerFacts f;
  f.event = "pull_request";
  f.trigger_type = "pull_request";
  f.ref = "refs/heads/spike";
  f.sha = sha_of('c');
  f.pull_request = 12;
  TriggerPlan plan = plan_trigger(f, mapper, webhook_context());
  ASSERT_EQ(plan.kind, PlanKind::kStart) << plan.reason;
  EXPECT_TRUE(plan.ci_only);
  EXPECT_EQ(plan.execution.environment, "Development");
  EXPECT_EQ(plan.execution.trigger_type, "pull_request");
  EXPECT_EQ(plan.execution.name, "CI ccccccc (PR #12)");
  EXPECT_EQ(plan.execution.started_by, "admin-id") << "no sender: the integration's creator";
  EXPECT_EQ(plan.execution.metadata["deployable"], false);

  f.ref = "refs/heads/release/2.0";  // a PR from a deployable branch still does not deploy
  plan = plan_trigger(f, mapper, webhook_context());
  EXPECT_TRUE(plan.ci_only);
  EXPECT_EQ(plan.execution.environment, "PreProd");
}

TEST(TriggerPlanTest, TagsAreKeyedOnceAndReplaysAreAlwaysNew) {
  BranchMapper mapper(governance::gitops_rules());
  TriggerPlan plan =
      plan_trigger(push_facts("refs/tags/v1.2.0", sha_of('d')), mapper, webhook_context());
  ASSERT_EQ(plan.kind, PlanKind::kStart) << plan.reason;
  EXPECT_EQ(plan.trigger_key, "tag:p-1:v1.2.0");
  EXPECT_EQ(plan.execution.tag, "v1.2.0");
  EXPECT_EQ(plan.execution.branch, "");
  EXPECT_EQ(plan.execution.environment, "prod");
  EXPECT_EQ(plan.execution.metadata["image_tag"], "v1.2.0");
  EXPECT_EQ(plan.execution.metadata["replicas"], 3);

  TriggerContext replay = webhook_context();
  replay.delivery_id = "d-2";
  replay.replay_of = "d-1";
  plan = plan_trigger(push_facts("refs/tags/v1.2.0", sha_of('d')), mapper, replay);
  EXPECT_EQ(plan.trigger_key, "replay:d-2");
  EXPECT_EQ(plan.execution.trigger_type, "replay");
  EXPECT_EQ(plan.execution.metadata["replay_of"], "d-1");
}

TEST(TriggerPlanTest, PollTriggersAreKeyedByRefAndSha) {
  BranchMapper mapper(governance::gitops_rules());
  TriggerContext c;
  c.source = "git_poll";
  c.project_id = "p-1";
  c.git_url = "/srv/git/demo.git";
  TriggerFacts f = push_facts("refs/heads/develop", sha_of('e'));
  f.event = "poll";
  f.trigger_type = "poll";
  f.actor = "git-poll";
  TriggerPlan plan = plan_trigger(f, mapper, c);
  ASSERT_EQ(plan.kind, PlanKind::kStart);
  EXPECT_EQ(plan.trigger_key, "poll:p-1:refs/heads/develop:" + sha_of('e'));
  EXPECT_EQ(plan.execution.metadata["image_tag"], "dev-eeeeeee");
  EXPECT_EQ(plan.execution.metadata["trigger_key"], plan.trigger_key);
  EXPECT_FALSE(plan.execution.metadata.contains("delivery_id"));
  EXPECT_FALSE(plan.execution.metadata.contains("github"));
}

TEST(TriggerPlanTest, BadShaOrNoCheckoutSourceStartsNothing) {
  BranchMapper mapper(governance::default_rules());
  EXPECT_EQ(plan_trigger(push_facts("refs/heads/main", "xyz"), mapper, webhook_context()).kind,
            PlanKind::kIgnore);
  TriggerContext c = webhook_context();
  c.git_url.clear();
  c.repository_owner.clear();
  EXPECT_EQ(plan_trigger(push_facts("refs/heads/main", sha_of('1')), mapper, c).kind,
            PlanKind::kIgnore);
  // Checked out from the integration's configured repository, never from a URL
  // in the payload.
  c.integration_clone_url = "https://github.example.com/octo/demo.git";
  EXPECT_EQ(plan_trigger(push_facts("refs/heads/main", sha_of('1')), mapper, c)
                .execution.workspace.git_url,
            "https://github.example.com/octo/demo.git");
}

TEST(TriggerPlanTest, ImageTagErrorsAreRecordedNotFatal) {
  governance::BranchRule rule;
  rule.pattern = "main";
  rule.environment = "Production";
  rule.image_tag_template = "{tag}";  // a branch has no tag
  BranchMapper mapper({rule});
  TriggerPlan plan =
      plan_trigger(push_facts("refs/heads/main", sha_of('2')), mapper, webhook_context());
  ASSERT_EQ(plan.kind, PlanKind::kStart);
  EXPECT_TRUE(plan.execution.metadata["image_tag"].is_null());
  EXPECT_FALSE(plan.execution.metadata["image_tag_error"].get<std::string>().empty());
}

TEST(TriggerPlanTest, FactsFromEvents) {
  auto push =
      github::parse_webhook_event("push", testing::push_payload("refs/heads/main", sha_of('3')));
  ASSERT_TRUE(push.ok()) << push.error().to_string();
  auto facts = facts_from_event(*push, github::should_trigger(*push));
  ASSERT_TRUE(facts.ok()) << facts.error().to_string();
  EXPECT_EQ(facts->trigger_type, "push");
  EXPECT_EQ(facts->actor, "github:mona");
  EXPECT_EQ(facts->sha, sha_of('3'));
  EXPECT_EQ(facts->details["commit_timestamp"], "2026-12-05T10:00:00+01:00");

  auto pr = github::parse_webhook_event(
      "pull_request", testing::pull_request_payload("opened", 7, "feature/x", sha_of('4')));
  ASSERT_TRUE(pr.ok());
  facts = facts_from_event(*pr, github::should_trigger(*pr));
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->ref, "refs/heads/feature/x");
  EXPECT_EQ(facts->pull_request, 7);
  EXPECT_EQ(facts->details["pull_request"]["base_ref"], "main");

  auto create = github::parse_webhook_event("create", testing::create_tag_payload("v2"));
  ASSERT_TRUE(create.ok());
  EXPECT_FALSE(facts_from_event(*create, github::should_trigger(*create)).ok())
      << "a tag without a resolved commit cannot be built";
  facts = facts_from_event(*create, github::should_trigger(*create), sha_of('5'));
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->ref, "refs/tags/v2");
  EXPECT_EQ(facts->trigger_type, "tag");

  auto release =
      github::parse_webhook_event("release", testing::release_payload("published", "v3"));
  ASSERT_TRUE(release.ok());
  facts = facts_from_event(*release, github::should_trigger(*release), sha_of('6'));
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->trigger_type, "release");
  EXPECT_EQ(facts->ref, "refs/tags/v3");
}

}  // namespace
}  // namespace opz::trigger
