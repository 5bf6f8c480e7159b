#include "github/webhook_event.h"

#include <gtest/gtest.h>

#include <string>

#include "github/fixture_files.h"

namespace opz::github {
namespace {

using testing::fixture_event_name;
using testing::fixture_names;
using testing::read_fixture;

WebhookEvent parse_fixture(const std::string& file) {
  std::string body = read_fixture(file);
  EXPECT_FALSE(body.empty()) << "missing fixture " << file;
  auto event = parse_webhook_event(fixture_event_name(file), body);
  EXPECT_TRUE(event.ok()) << file << ": " << (event.ok() ? "" : event.error().to_string());
  return event.ok() ? *event : WebhookEvent{};
}

void expect_codertocat_repo(const WebhookEvent& e) {
  ASSERT_TRUE(e.repository.has_value());
  EXPECT_EQ(e.repository->full_name, "Codertocat/Hello-World");
  EXPECT_EQ(e.repository->owner, "Codertocat");
  EXPECT_EQ(e.repository->name, "Hello-World");
  EXPECT_EQ(e.repository->clone_url, "https://github.com/Codertocat/Hello-World.git");
  EXPECT_EQ(e.repository->html_url, "https://github.com/Codertocat/Hello-World");
  EXPECT_EQ(e.repository->id, "186853002");
  EXPECT_EQ(e.sender_login, "Codertocat");
}

TEST(WebhookEventFixtures, EveryCommittedFixtureParses) {
  auto names = fixture_names();
  ASSERT_GE(names.size(), 12u);
  for (const auto& name : names) {
    WebhookEvent e = parse_fixture(name);
    EXPECT_EQ(e.event_name, fixture_event_name(name));
  }
}

TEST(WebhookEventFixtures, PushOfANewTag) {
  WebhookEvent e = parse_fixture("push.tag_created.json");
  ASSERT_EQ(e.kind(), EventKind::kPush);
  expect_codertocat_repo(e);
  const PushEvent& p = *e.push();
  EXPECT_EQ(p.ref, "refs/tags/simple-tag");
  EXPECT_EQ(p.ref_type, RefType::kTag);
  EXPECT_EQ(p.short_ref, "simple-tag");
  EXPECT_EQ(p.before, std::string(kZeroSha));
  EXPECT_EQ(p.after, "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
  EXPECT_TRUE(p.created);
  EXPECT_FALSE(p.deleted);
  EXPECT_FALSE(p.forced);
  EXPECT_EQ(p.commit_count, 0u);
  ASSERT_TRUE(p.head_commit.has_value());
  EXPECT_EQ(p.head_commit->id, "6113728f27ae82c7b1a177c8d03f9e96e0adf246");
}

TEST(WebhookEventFixtures, PushCreatingABranch) {
  WebhookEvent e = parse_fixture("push.branch_initial.json");
  const PushEvent* p = e.push();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ref_type, RefType::kBranch);
  EXPECT_EQ(p->short_ref, "master");
  EXPECT_EQ(p->commit_count, 1u);
  ASSERT_TRUE(p->head_commit.has_value());
  EXPECT_EQ(p->head_commit->message, "Initial commit");
  EXPECT_EQ(p->head_commit->author_name, "Codertocat");
  EXPECT_EQ(p->head_commit->author_username, "Codertocat");
  EXPECT_EQ(p->head_commit->timestamp, "2019-05-15T15:19:25Z");
  EXPECT_EQ(p->pusher, "Codertocat");
}

TEST(WebhookEventFixtures, OrdinaryMultiCommitBranchPush) {
  WebhookEvent e = parse_fixture("push.branch_multi_commit.json");
  const PushEvent* p = e.push();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->ref, "refs/heads/release/1.4");
  EXPECT_EQ(p->short_ref, "release/1.4");
  EXPECT_EQ(p->ref_type, RefType::kBranch);
  EXPECT_EQ(p->before, "1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6");
  EXPECT_EQ(p->after, "c0ffee1234567890abcdef1234567890abcdef12");
  EXPECT_FALSE(p->created);
  EXPECT_FALSE(p->deleted);
  EXPECT_EQ(p->commit_count, 3u);
  ASSERT_TRUE(p->head_commit.has_value());
  EXPECT_EQ(p->head_commit->id, p->after);
  EXPECT_EQ(p->head_commit->message, "Bump version to 1.4.2");
  EXPECT_NE(p->compare_url.find("/compare/"), std::string::npos);
}

TEST(WebhookEventFixtures, PushDeletingATag) {
  WebhookEvent e = parse_fixture("push.tag_deleted.json");
  const PushEvent* p = e.push();
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->deleted);
  EXPECT_EQ(p->after, std::string(kZeroSha));
  EXPECT_FALSE(p->head_commit.has_value());  // null in the payload
}

TEST(WebhookEventFixtures, PullRequestOpenedSynchronizeClosed) {
  WebhookEvent opened = parse_fixture("pull_request.opened.json");
  ASSERT_EQ(opened.kind(), EventKind::kPullRequest);
  expect_codertocat_repo(opened);
  const PullRequestEvent& pr = *opened.pull_request();
  EXPECT_EQ(pr.action, "opened");
  EXPECT_EQ(opened.action, "opened");
  EXPECT_EQ(pr.number, 2);
  EXPECT_EQ(pr.head_sha, "ec26c3e57ca3a959ca5aad62de7213c562f8c821");
  EXPECT_EQ(pr.head_ref, "changes");
  EXPECT_EQ(pr.base_ref, "master");
  EXPECT_EQ(pr.title, "Update the README with new information.");
  EXPECT_FALSE(pr.merged);

  EXPECT_EQ(parse_fixture("pull_request.synchronize.json").pull_request()->action, "synchronize");
  EXPECT_EQ(parse_fixture("pull_request.closed.json").pull_request()->action, "closed");
}

TEST(WebhookEventFixtures, CreateTag) {
  WebhookEvent e = parse_fixture("create.tag.json");
  ASSERT_EQ(e.kind(), EventKind::kCreate);
  EXPECT_EQ(e.create()->ref, "simple-tag");
  EXPECT_EQ(e.create()->ref_type, RefType::kTag);
  expect_codertocat_repo(e);
}

TEST(WebhookEventFixtures, ReleasePublished) {
  WebhookEvent e = parse_fixture("release.published.json");
  ASSERT_EQ(e.kind(), EventKind::kRelease);
  const ReleaseEvent& r = *e.release();
  EXPECT_EQ(r.action, "published");
  EXPECT_EQ(r.tag_name, "0.0.1");
  EXPECT_EQ(r.target_commitish, "master");
  EXPECT_FALSE(r.draft);
  EXPECT_FALSE(r.prerelease);
  EXPECT_EQ(parse_fixture("release.created.json").release()->action, "created");
}

TEST(WebhookEventFixtures, WorkflowRunCompleted) {
  WebhookEvent e = parse_fixture("workflow_run.completed.json");
  ASSERT_EQ(e.kind(), EventKind::kWorkflowRun);
  const WorkflowRunEvent& w = *e.workflow_run();
  EXPECT_EQ(w.action, "completed");
  EXPECT_EQ(w.id, 289782451);
  EXPECT_EQ(w.head_sha, "3484a3fb816e0859fd6e1cea078d76385ff50625");
  EXPECT_EQ(w.head_branch, "master");
  EXPECT_EQ(w.status, "completed");
  EXPECT_EQ(w.conclusion, "success");
  EXPECT_EQ(w.workflow_id, 2823525);
  EXPECT_EQ(w.path, ".github/workflows/test.yml");
  EXPECT_EQ(w.event, "repository_dispatch");

  WebhookEvent requested = parse_fixture("workflow_run.requested.json");
  ASSERT_NE(requested.workflow_run(), nullptr);
  EXPECT_EQ(requested.workflow_run()->action, "requested");
  EXPECT_EQ(requested.workflow_run()->conclusion, "");  // null until completed
}

TEST(WebhookEventFixtures, PingWithAndWithoutRepository) {
  WebhookEvent repo_ping = parse_fixture("ping.repository.json");
  ASSERT_EQ(repo_ping.kind(), EventKind::kPing);
  EXPECT_FALSE(repo_ping.ping()->zen.empty());
  EXPECT_EQ(repo_ping.ping()->hook_id, 109948940);
  EXPECT_TRUE(repo_ping.repository.has_value());

  WebhookEvent org_ping = parse_fixture("ping.organization.json");
  ASSERT_EQ(org_ping.kind(), EventKind::kPing);
  EXPECT_EQ(org_ping.ping()->zen, "Anything added dilutes everything else.");
  EXPECT_FALSE(org_ping.repository.has_value());
}

TEST(WebhookEventFixtures, UnhandledEventsParseAsOther) {
  WebhookEvent e = parse_fixture("issues.opened.json");
  EXPECT_EQ(e.kind(), EventKind::kOther);
  EXPECT_EQ(e.event_name, "issues");
  EXPECT_EQ(e.action, "opened");
  expect_codertocat_repo(e);
}

// --- synthetic payloads: bad input ---

Error parse_error(std::string_view event, std::string_view body) {
  auto r = parse_webhook_event(event, body);
  EXPECT_FALSE(r.ok()) << event << " " << body;
  return r.ok() ? Error{} : r.error();
}

constexpr std::string_view kRepo = R"("repository":{"full_name":"acme/api"})";

TEST(ParseWebhookEvent, InvalidJsonIsMalformedWithByteOffset) {
  Error e = parse_error("push", "{\"ref\": ");
  EXPECT_EQ(e.code, ErrorCode::kMalformed);
  EXPECT_NE(e.message.find("malformed JSON at byte"), std::string::npos) << e.message;
}

TEST(ParseWebhookEvent, EventNameMustBePresentAndPlausible) {
  Error missing = parse_error("", "{}");
  EXPECT_EQ(missing.code, ErrorCode::kValidation);
  EXPECT_EQ(missing.message, "missing X-GitHub-Event header");
  EXPECT_EQ(parse_error("Push Event", "{}").field, "X-GitHub-Event");
  EXPECT_EQ(parse_error(std::string(65, 'a'), "{}").code, ErrorCode::kValidation);
}

TEST(ParseWebhookEvent, PayloadMustBeAnObject) {
  Error e = parse_error("push", "[1,2]");
  EXPECT_EQ(e.code, ErrorCode::kValidation);
  EXPECT_EQ(e.message, "webhook payload must be a JSON object, got array");
}

TEST(ParseWebhookEvent, MissingRequiredFieldsNameTheJsonPath) {
  Error no_repo = parse_error("push", R"({"ref":"refs/heads/x","before":"a","after":"b"})");
  EXPECT_EQ(no_repo.field, "repository");
  EXPECT_EQ(no_repo.message, "push event: missing required field 'repository'");

  Error no_ref = parse_error("push", "{" + std::string(kRepo) + R"(,"before":"a","after":"b"})");
  EXPECT_EQ(no_ref.code, ErrorCode::kValidation);
  EXPECT_EQ(no_ref.field, "ref");
  EXPECT_EQ(no_ref.message, "push event: missing required field 'ref'");

  Error no_head_sha = parse_error(
      "pull_request", "{" + std::string(kRepo) +
                          R"(,"action":"opened","number":1,"pull_request":{"head":{"ref":"x"},)"
                          R"("base":{"ref":"main"}}})");
  EXPECT_EQ(no_head_sha.field, "pull_request.head.sha");

  Error no_tag = parse_error("release", "{" + std::string(kRepo) +
                                            R"(,"action":"published",)"
                                            R"("release":{}})");
  EXPECT_EQ(no_tag.field, "release.tag_name");

  Error no_run_id = parse_error(
      "workflow_run",
      "{" + std::string(kRepo) +
          R"(,"action":"completed","workflow_run":{"head_sha":"abc","status":"completed","workflow_id":1}})");
  EXPECT_EQ(no_run_id.field, "workflow_run.id");

  Error no_full_name = parse_error("push", R"({"repository":{"name":"x"},"ref":"r"})");
  EXPECT_EQ(no_full_name.field, "repository.full_name");
}

TEST(ParseWebhookEvent, WrongTypesAreValidationErrors) {
  Error e =
      parse_error("pull_request", "{" + std::string(kRepo) +
                                      R"(,"action":"opened","number":"7","pull_request":{}})");
  EXPECT_EQ(e.field, "number");
  EXPECT_EQ(e.message, "pull_request event: field 'number' must be an integer, got string");

  Error b = parse_error("push", "{" + std::string(kRepo) +
                                    R"(,"ref":"refs/heads/x","before":"a","after":"b",)"
                                    R"("deleted":"yes"})");
  EXPECT_EQ(b.field, "deleted");

  Error commits = parse_error("push", "{" + std::string(kRepo) +
                                          R"(,"ref":"refs/heads/x","before":"a","after":"b",)"
                                          R"("commits":{}})");
  EXPECT_EQ(commits.field, "commits");

  Error create =
      parse_error("create", "{" + std::string(kRepo) + R"(,"ref":"x","ref_type":"repo"})");
  EXPECT_EQ(create.field, "ref_type");
}

TEST(ParseWebhookEvent, RejectsRepositoryNamesThatCannotBeRepositories) {
  Error e = parse_error("push", R"({"repository":{"full_name":"../etc"},"ref":"r"})");
  EXPECT_EQ(e.field, "repository.full_name");
  EXPECT_EQ(e.code, ErrorCode::kValidation);
}

TEST(ParseWebhookEvent, MinimalPushDerivesOwnerAndNameFromFullName) {
  auto r = parse_webhook_event(
      "push", "{" + std::string(kRepo) + R"(,"ref":"refs/heads/main","before":"a","after":"b"})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->repository->owner, "acme");
  EXPECT_EQ(r->repository->name, "api");
  EXPECT_EQ(r->push()->commit_count, 0u);
  EXPECT_FALSE(r->push()->head_commit.has_value());
  EXPECT_EQ(r->sender_login, "");
}

TEST(ParseWebhookEvent, PushToAnUnusualRefNamespaceParsesAsOther) {
  auto r = parse_webhook_event(
      "push", "{" + std::string(kRepo) + R"(,"ref":"refs/notes/x","before":"a","after":"b"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->push()->ref_type, RefType::kOther);
}

TEST(ParseWebhookEvent, UnknownEventsAreLenientAboutOddShapes) {
  auto r = parse_webhook_event("star", R"({"action":5,"sender":[],"repository":{"id":1}})");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->kind(), EventKind::kOther);
  EXPECT_FALSE(r->repository.has_value());
  EXPECT_EQ(r->action, "");
}

TEST(ParseWebhookEvent, AcceptsAnAlreadyParsedBody) {
  Json body = {{"zen", "Keep it logically awesome."}, {"hook_id", 42}};
  auto r = parse_webhook_json("ping", body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ping()->hook_id, 42);
  EXPECT_EQ(event_kind_name(r->kind()), "ping");
}

TEST(ParseWebhookEvent, DefaultEventIsOther) {
  EXPECT_EQ(WebhookEvent{}.kind(), EventKind::kOther);
  EXPECT_EQ(event_kind_name(EventKind::kWorkflowRun), "workflow_run");
}

}  // namespace
}  // namespace opz::github
