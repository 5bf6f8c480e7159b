// Parses every example payload of the handled events from
// @octokit/webhooks-examples (api.github.com/index.json) when
// OPZ_OCTOKIT_EXAMPLES points at that file; skipped otherwise. The CI setup
// installs the npm package and sets the variable.
#include "github/webhook_event.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "core/json.h"
#include "github/repository_locator.h"
#include "github/signature.h"
#include "github/trigger_decision.h"

namespace opz::github {
namespace {

void expect_key_fields(const WebhookEvent& e, const std::string& where) {
  EXPECT_FALSE(e.sender_login.empty()) << where;
  if (e.kind() != EventKind::kPing) {
    ASSERT_TRUE(e.repository.has_value()) << where;
    EXPECT_FALSE(e.repository->full_name.empty()) << where;
    EXPECT_FALSE(e.repository->owner.empty()) << where;
    EXPECT_FALSE(e.repository->name.empty()) << where;
    EXPECT_FALSE(e.repository->clone_url.empty()) << where;
    EXPECT_FALSE(e.repository->html_url.empty()) << where;
  }
  switch (e.kind()) {
    case EventKind::kPush: {
      const PushEvent& p = *e.push();
      EXPECT_TRUE(p.ref.starts_with("refs/")) << where;
      EXPECT_FALSE(p.short_ref.empty()) << where;
      EXPECT_EQ(p.after.size(), 40u) << where;
      EXPECT_EQ(p.before.size(), 40u) << where;
      if (!p.deleted) {
        EXPECT_TRUE(p.head_commit.has_value()) << where;
      }
      break;
    }
    case EventKind::kPullRequest: {
      const PullRequestEvent& pr = *e.pull_request();
      EXPECT_FALSE(pr.action.empty()) << where;
      EXPECT_GT(pr.number, 0) << where;
      EXPECT_EQ(pr.head_sha.size(), 40u) << where;
      EXPECT_FALSE(pr.head_ref.empty()) << where;
      EXPECT_FALSE(pr.base_ref.empty()) << where;
      break;
    }
    case EventKind::kCreate:
      EXPECT_FALSE(e.create()->ref.empty()) << where;
      break;
    case EventKind::kRelease:
      EXPECT_FALSE(e.release()->action.empty()) << where;
      EXPECT_FALSE(e.release()->tag_name.empty()) << where;
      break;
    case EventKind::kWorkflowRun: {
      const WorkflowRunEvent& w = *e.workflow_run();
      EXPECT_FALSE(w.action.empty()) << where;
      EXPECT_GT(w.id, 0) << where;
      EXPECT_EQ(w.head_sha.size(), 40u) << where;
      EXPECT_FALSE(w.status.empty()) << where;
      EXPECT_GT(w.workflow_id, 0) << where;
      break;
    }
    case EventKind::kPing:
      EXPECT_FALSE(e.ping()->zen.empty()) << where;
      EXPECT_GT(e.ping()->hook_id, 0) << where;
      break;
    case EventKind::kOther:
      ADD_FAILURE() << where << " parsed as other";
      break;
  }
}

TEST(OctokitWebhookExamples, EveryHandledExampleParses) {
  const char* path = std::getenv("OPZ_OCTOKIT_EXAMPLES");
  if (path == nullptr || *path == '\0') {
    GTEST_SKIP() << "OPZ_OCTOKIT_EXAMPLES is not set (path to @octokit/webhooks-examples "
                    "api.github.com/index.json)";
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto index = parse_json(text);
  ASSERT_TRUE(index.ok()) << index.error().to_string();
  ASSERT_TRUE(index->is_array());

  const std::set<std::string> handled = {"push",         "create",       "release",
                                         "pull_request", "workflow_run", "ping"};
  std::set<std::string> seen;
  size_t parsed = 0;
  size_t triggered = 0;
  for (const auto& entry : *index) {
    std::string name = entry.value("name", "");
    if (!handled.count(name)) continue;
    seen.insert(name);
    size_t i = 0;
    for (const auto& example : entry.at("examples")) {
      const std::string where = name + " example #" + std::to_string(i++);
      const std::string body = dump_json(example);
      auto event = parse_webhook_event(name, body);
      ASSERT_TRUE(event.ok()) << where << ": " << event.error().to_string();
      EXPECT_EQ(event_kind_name(event->kind()), name) << where;
      expect_key_fields(*event, where);

      TriggerDecision d = should_trigger(*event);
      EXPECT_FALSE(d.reason.empty()) << where;
      if (d.trigger) ++triggered;
      if (event->repository) {
        auto full_name = extract_repository_full_name(body, kMaxWebhookBodyBytes);
        ASSERT_TRUE(full_name.ok()) << where;
        EXPECT_EQ(*full_name, event->repository->full_name) << where;
      }
      EXPECT_TRUE(verify_signature("secret", body, sign("secret", body)).ok()) << where;
      ++parsed;
    }
  }
  EXPECT_EQ(seen, handled);
  EXPECT_GE(parsed, 60u);  // 7.6.1 has 62 examples of these events
  EXPECT_GT(triggered, 0u);
  EXPECT_LT(triggered, parsed);
}

}  // namespace
}  // namespace opz::github
