#include "github/api_client.h"

#include <gtest/gtest.h>

#include <string>

#include "core/json.h"
#include "support/fake_http_server.h"

namespace opz::github {
namespace {

using opz::testing::CannedResponse;
using opz::testing::FakeHttpServer;
using opz::testing::RecordedRequest;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kToken[] = "ghp_test_token_1234567890";
constexpr char kSha[] = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

class ApiClientTest : public ::testing::Test {
 protected:
  ApiClient client(std::string token = kToken) const {
    ApiClientConfig config;
    config.api_base = server.base_url() + "/";  // trailing slash is tolerated
    config.token = std::move(token);
    config.user_agent = "opzenix/9.9.9";
    config.transport.total_timeout = milliseconds{2000};
    return ApiClient(config);
  }

  static void expect_github_headers(const RecordedRequest& r) {
    EXPECT_EQ(r.header("authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(r.header("accept"), "application/vnd.github+json");
    EXPECT_EQ(r.header("x-github-api-version"), "2022-11-28");
    EXPECT_EQ(r.header("user-agent"), "opzenix/9.9.9");
  }

  static CommitStatusRequest status_request() {
    CommitStatusRequest r;
    r.owner = "octo-org";
    r.repo = "api";
    r.sha = kSha;
    r.state = CommitState::kSuccess;
    r.target_url = "https://opzenix.example/executions/42";
    r.description = "Deployed to Production";
    r.context = "opzenix/deploy";
    return r;
  }

  FakeHttpServer server;
};

TEST_F(ApiClientTest, CreateCommitStatusPostsTheDocumentedRequest) {
  server.enqueue(CannedResponse::json(201, R"({"id": 1, "state": "success"})"));
  Status s = client().create_commit_status(status_request());
  ASSERT_TRUE(s.ok()) << s.error().to_string();

  ASSERT_EQ(server.request_count(), 1u);
  RecordedRequest r = server.last_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, std::string("/repos/octo-org/api/statuses/") + kSha);
  expect_github_headers(r);
  EXPECT_EQ(r.header("content-type"), "application/json");
  Json body = Json::parse(r.body);
  EXPECT_EQ(body, Json::parse(R"({"state": "success",
                                  "target_url": "https://opzenix.example/executions/42",
                                  "description": "Deployed to Production",
                                  "context": "opzenix/deploy"})"));
}

TEST_F(ApiClientTest, CommitStatusTruncatesLongDescriptionsAndOmitsEmptyTargetUrl) {
  server.enqueue(CannedResponse::json(201, "{}"));
  CommitStatusRequest req = status_request();
  req.state = CommitState::kPending;
  req.target_url = "";
  req.description = std::string(200, 'x');
  ASSERT_TRUE(client().create_commit_status(req).ok());
  Json body = Json::parse(server.last_request().body);
  EXPECT_EQ(body["state"], "pending");
  EXPECT_FALSE(body.contains("target_url"));
  std::string d = body["description"];
  EXPECT_EQ(d, std::string(139, 'x') + "\xE2\x80\xA6");
}

TEST_F(ApiClientTest, DispatchWorkflowPostsRefAndInputs) {
  server.enqueue(CannedResponse{204, {}, "", {}});
  WorkflowDispatchRequest req;
  req.owner = "octo-org";
  req.repo = "api";
  req.workflow_file = "deploy.yml";
  req.ref = "main";
  req.inputs = {{"environment", "Production"}, {"image_tag", "main-6113728"}};
  Status s = client().dispatch_workflow(req);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  RecordedRequest r = server.last_request();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/repos/octo-org/api/actions/workflows/deploy.yml/dispatches");
  expect_github_headers(r);
  EXPECT_EQ(Json::parse(r.body), Json::parse(R"({"ref": "main", "inputs":
      {"environment": "Production", "image_tag": "main-6113728"}})"));
}

TEST_F(ApiClientTest, DispatchWithoutInputsSendsOnlyTheRef) {
  server.enqueue(CannedResponse{204, {}, "", {}});
  WorkflowDispatchRequest req{"o", "r", "42", "v1.0.0", {}};
  ASSERT_TRUE(client().dispatch_workflow(req).ok());
  EXPECT_EQ(Json::parse(server.last_request().body), Json::parse(R"({"ref": "v1.0.0"})"));
  EXPECT_EQ(server.last_request().path, "/repos/o/r/actions/workflows/42/dispatches");
}

TEST_F(ApiClientTest, ListWorkflowRunsQueriesAndParses) {
  server.enqueue(CannedResponse::json(200, R"({"total_count": 2, "workflow_runs": [
    {"id": 30433642, "name": "Deploy", "head_branch": "release/1.4", "head_sha": "acb5820ced9479c074f688cc328bf03f341a511d",
     "event": "workflow_dispatch", "status": "completed", "conclusion": "success",
     "workflow_id": 159038, "run_number": 562, "html_url": "https://github.com/o/r/actions/runs/30433642",
     "created_at": "2020-01-22T19:33:08Z"},
    {"id": 30433643, "name": "Deploy", "head_branch": "release/1.4", "head_sha": "acb5820ced9479c074f688cc328bf03f341a511d",
     "event": "workflow_dispatch", "status": "in_progress", "conclusion": null, "workflow_id": 159038}
  ]})"));
  WorkflowRunQuery q;
  q.owner = "o";
  q.repo = "r";
  q.branch = "release/1.4";
  q.per_page = 5;
  auto runs = client().list_workflow_runs(q);
  ASSERT_TRUE(runs.ok()) << runs.error().to_string();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, 30433642);
  EXPECT_EQ((*runs)[0].conclusion, "success");
  EXPECT_EQ((*runs)[0].run_number, 562);
  EXPECT_EQ((*runs)[0].created_at, "2020-01-22T19:33:08Z");
  EXPECT_EQ((*runs)[1].status, "in_progress");
  EXPECT_EQ((*runs)[1].conclusion, "");

  RecordedRequest r = server.last_request();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/repos/o/r/actions/runs");
  EXPECT_EQ(r.query, "per_page=5&event=workflow_dispatch&branch=release%2F1.4");
  expect_github_headers(r);
  EXPECT_EQ(r.body, "");
}

TEST_F(ApiClientTest, ListWorkflowRunsOfOneWorkflowClampsPageSize) {
  server.enqueue(CannedResponse::json(200, R"({"total_count": 0, "workflow_runs": []})"));
  WorkflowRunQuery q;
  q.owner = "o";
  q.repo = "r";
  q.workflow_file = "deploy.yml";
  q.per_page = 1000;
  q.event = "";
  auto runs = client().list_workflow_runs(q);
  ASSERT_TRUE(runs.ok());
  EXPECT_TRUE(runs->empty());
  EXPECT_EQ(server.last_request().target,
            "/repos/o/r/actions/workflows/deploy.yml/runs?per_page=100");
}

TEST_F(ApiClientTest, ListWorkflowRunsRejectsAnUnexpectedShape) {
  server.enqueue(CannedResponse::json(200, R"({"runs": []})"));
  server.enqueue(CannedResponse::json(200, "<html>proxy</html>"));
  server.enqueue(CannedResponse::json(200, R"({"workflow_runs": [{"name": "no id"}]})"));
  WorkflowRunQuery q{"o", "r", "", "", "workflow_dispatch", 10};
  auto no_array = client().list_workflow_runs(q);
  ASSERT_FALSE(no_array.ok());
  EXPECT_NE(no_array.error().message.find("no 'workflow_runs' array"), std::string::npos);
  auto not_json = client().list_workflow_runs(q);
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(not_json.error().message.find("unreadable body"), std::string::npos);
  auto no_id = client().list_workflow_runs(q);
  ASSERT_FALSE(no_id.ok());
  EXPECT_NE(no_id.error().message.find("missing required field 'id'"), std::string::npos);
}

TEST_F(ApiClientTest, ValidateTokenReadsLoginAndScopes) {
  CannedResponse r = CannedResponse::json(200, R"({"login": "octocat", "id": 1})");
  r.headers.emplace_back("X-OAuth-Scopes", "repo, workflow,  read:org");
  server.enqueue(r);
  auto info = client().validate_token();
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->login, "octocat");
  EXPECT_TRUE(info->scopes_reported);
  EXPECT_EQ(info->scopes, (std::vector<std::string>{"repo", "workflow", "read:org"}));
  EXPECT_EQ(info->missing_scopes(required_token_scopes()),
            std::vector<std::string>{"admin:repo_hook"});
  RecordedRequest req = server.last_request();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/user");
  expect_github_headers(req);
}

TEST_F(ApiClientTest, FineGrainedTokensReportNoScopes) {
  server.enqueue(CannedResponse::json(200, R"({"login": "octocat"})"));
  auto info = client().validate_token();
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->scopes_reported);
  EXPECT_TRUE(info->missing_scopes(required_token_scopes()).empty());
}

TEST_F(ApiClientTest, ValidateTokenWithoutTokenFailsWithoutCallingGithub) {
  auto info = client("").validate_token();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(ApiClientTest, MapsGithubErrorsWithGithubsMessage) {
  struct Case {
    int status;
    const char* body;
    ErrorCode code;
    const char* message_part;
  } cases[] = {
      {401, R"({"message": "Bad credentials"})", ErrorCode::kUnauthenticated,
       "401: Bad credentials"},
      {403, R"({"message": "Resource not accessible by integration"})", ErrorCode::kForbidden,
       "403: Resource not accessible by integration"},
      {404, R"({"message": "Not Found"})", ErrorCode::kNotFound, "404: Not Found"},
      {422,
       R"({"message": "Validation Failed", "errors": [{"resource": "Status", "field": "state", "code": "invalid"}]})",
       ErrorCode::kValidation, "422: Validation Failed (state invalid)"},
      {422, R"({"message": "Unexpected inputs provided", "errors": ["image_tag"]})",
       ErrorCode::kValidation, "Unexpected inputs provided (image_tag)"},
      {500, R"({"message": "Server Error"})", ErrorCode::kUnavailable, "500: Server Error"},
      {502, "<html>bad gateway</html>", ErrorCode::kUnavailable, "GitHub answered 502"},
      {418, "", ErrorCode::kInternal, "GitHub answered 418"},
  };
  for (const auto& c : cases) {
    server.enqueue(CannedResponse::json(c.status, c.body));
    Status s = client().create_commit_status(status_request());
    ASSERT_FALSE(s.ok()) << c.status;
    EXPECT_EQ(s.error().code, c.code) << c.status << " " << s.error().message;
    EXPECT_NE(s.error().message.find(c.message_part), std::string::npos)
        << c.status << ": " << s.error().message;
    EXPECT_NE(s.error().message.find("commit status for 6113728"), std::string::npos);
    EXPECT_EQ(s.error().message.find(kToken), std::string::npos);
    EXPECT_EQ(is_retryable(s.error()), c.code == ErrorCode::kUnavailable) << c.status;
  }
}

TEST_F(ApiClientTest, RateLimitsAreRetryable) {
  CannedResponse limited = CannedResponse::json(403, R"({"message": "API rate limit exceeded"})");
  limited.headers.emplace_back("X-RateLimit-Remaining", "0");
  limited.headers.emplace_back("X-RateLimit-Reset", "1700000000");
  server.enqueue(limited);
  CannedResponse secondary = CannedResponse::json(429, R"({"message": "slow down"})");
  secondary.headers.emplace_back("Retry-After", "30");
  server.enqueue(secondary);

  Status primary = client().create_commit_status(status_request());
  ASSERT_FALSE(primary.ok());
  EXPECT_EQ(primary.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(primary.error().message.find("resets at unix time 1700000000"), std::string::npos);
  Status slow = client().create_commit_status(status_request());
  ASSERT_FALSE(slow.ok());
  EXPECT_TRUE(is_retryable(slow.error()));
  EXPECT_NE(slow.error().message.find("retry after 30 s"), std::string::npos);
}

TEST_F(ApiClientTest, UnreachableGithubIsRetryable) {
  ApiClientConfig config;
  {
    FakeHttpServer gone;  // learn a free port, then close it
    config.api_base = gone.base_url();
  }
  config.token = kToken;
  Status s = ApiClient(config).create_commit_status(status_request());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("failed"), std::string::npos);
}

TEST_F(ApiClientTest, SlowAnswersHitTheTotalTimeout) {
  CannedResponse slow = CannedResponse::json(201, "{}");
  slow.delay = milliseconds{3000};
  server.enqueue(slow);
  ApiClientConfig config;
  config.api_base = server.base_url();
  config.token = kToken;
  config.transport.total_timeout = milliseconds{200};
  Status s = ApiClient(config).create_commit_status(status_request());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
}

TEST_F(ApiClientTest, RejectsPathInjectionBeforeSendingAnything) {
  CommitStatusRequest bad_repo = status_request();
  bad_repo.repo = "../../user";
  EXPECT_EQ(client().create_commit_status(bad_repo).error().field, "repository");
  CommitStatusRequest bad_sha = status_request();
  bad_sha.sha = "main/../x";
  EXPECT_EQ(client().create_commit_status(bad_sha).error().field, "sha");
  WorkflowDispatchRequest bad_file{"o", "r", "../deploy.yml", "main", {}};
  EXPECT_EQ(client().dispatch_workflow(bad_file).error().field, "workflow_file");
  WorkflowDispatchRequest no_ref{"o", "r", "deploy.yml", "", {}};
  EXPECT_EQ(client().dispatch_workflow(no_ref).error().field, "ref");
  WorkflowRunQuery bad_query{"o/x", "r", "", "", "", 10};
  EXPECT_FALSE(client().list_workflow_runs(bad_query).ok());
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(TruncateDescription, KeepsShortTextAndCutsOnCodePoints) {
  EXPECT_EQ(truncate_description("short"), "short");
  EXPECT_EQ(truncate_description(std::string(140, 'a')), std::string(140, 'a'));
  // 141 two-byte characters: cut to 139 of them plus the ellipsis.
  std::string umlauts;
  for (int i = 0; i < 141; ++i) umlauts += "\xC3\xA4";
  std::string cut = truncate_description(umlauts);
  std::string expected;
  for (int i = 0; i < 139; ++i) expected += "\xC3\xA4";
  expected += "\xE2\x80\xA6";
  EXPECT_EQ(cut, expected);
  EXPECT_EQ(truncate_description("abcdef", 3), "ab\xE2\x80\xA6");
  EXPECT_EQ(truncate_description("abcdef", 0), "");
}

TEST(CommitStateName, NamesEveryState) {
  EXPECT_EQ(commit_state_name(CommitState::kPending), "pending");
  EXPECT_EQ(commit_state_name(CommitState::kSuccess), "success");
  EXPECT_EQ(commit_state_name(CommitState::kFailure), "failure");
  EXPECT_EQ(commit_state_name(CommitState::kError), "error");
}

TEST(NextRetryDelay, FollowsTheSeedSchedule) {
  EXPECT_EQ(next_retry_delay(1), seconds{2});
  EXPECT_EQ(next_retry_delay(2), seconds{4});
  EXPECT_EQ(next_retry_delay(5), seconds{32});
  EXPECT_EQ(next_retry_delay(kMaxGithubAttempts), seconds{60});
  EXPECT_EQ(next_retry_delay(50), seconds{60});
}

TEST(UrlEncode, EscapesReservedCharacters) {
  EXPECT_EQ(url_encode("release/1.4"), "release%2F1.4");
  EXPECT_EQ(url_encode("a b&c=d?e#f"), "a%20b%26c%3Dd%3Fe%23f");
  EXPECT_EQ(url_encode("Az09-_.~"), "Az09-_.~");
  EXPECT_EQ(url_encode("\xC3\xA4"), "%C3%A4");
}

}  // namespace
}  // namespace opz::github
