// ApiClient: the few GitHub REST calls Opzenix makes — commit statuses,
// workflow dispatch, workflow run listing (to poll a dispatched run), and
// token validation — with typed requests and results.
//
// Every request carries Authorization: Bearer <token>, Accept:
// application/vnd.github+json, X-GitHub-Api-Version: 2022-11-28 and
// User-Agent. GitHub's answers map to opz::Error with GitHub's own message:
//   401 -> kUnauthenticated   403 -> kForbidden (kUnavailable when rate limited)
//   404 -> kNotFound          422 -> kValidation   429, 5xx, no answer -> kUnavailable
//   anything else unexpected -> kInternal
// kUnavailable means "try again later"; is_retryable() says so. The client
// never retries or sleeps: callers schedule retries durably, spacing them with
// next_retry_delay(). Owner, repository, sha and workflow file are checked
// before they become part of a URL (kValidation). The token is never logged
// nor put in an error message. Const methods; safe from several threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "github/http_transport.h"

namespace opz::github {

inline constexpr std::string_view kDefaultApiBase = "https://api.github.com";
inline constexpr std::string_view kApiVersion = "2022-11-28";
// GitHub limits a commit status description to 140 characters.
inline constexpr size_t kMaxStatusDescription = 140;

struct ApiClientConfig {
  std::string api_base = std::string(kDefaultApiBase);  // no trailing slash needed
  std::string token;
  std::string user_agent = "opzenix/0.1.0";  // "opzenix/<version>"
  HttpTransportOptions transport;            // connect 5 s, total 15 s
};

enum class CommitState { kPending, kSuccess, kFailure, kError };
std::string_view commit_state_name(CommitState state);  // "pending", ...

struct CommitStatusRequest {
  std::string owner;
  std::string repo;
  std::string sha;
  CommitState state = CommitState::kPending;
  std::string target_url;   // omitted when empty
  std::string description;  // truncated to 140 characters
  std::string context = "opzenix";
};

struct WorkflowDispatchRequest {
  std::string owner;
  std::string repo;
  std::string workflow_file;  // "deploy.yml" or a numeric workflow id
  std::string ref;            // branch or tag to run on
  std::map<std::string, std::string> inputs;
};

struct WorkflowRunQuery {
  std::string owner;
  std::string repo;
  std::string workflow_file;  // empty: all workflows of the repository
  std::string branch;         // empty: any branch
  std::string event = "workflow_dispatch";
  int per_page = 10;  // clamped to [1, 100]
};

struct WorkflowRun {
  int64_t id = 0;
  std::string name;
  std::string head_sha;
  std::string head_branch;
  std::string event;
  std::string status;      // "queued", "in_progress", "completed"
  std::string conclusion;  // empty until completed
  int64_t workflow_id = 0;
  int64_t run_number = 0;
  std::string html_url;
  std::string created_at;
};

struct TokenInfo {
  std::string login;
  // From X-OAuth-Scopes. Fine-grained tokens do not report scopes:
  // scopes_reported is false then and `scopes` is empty.
  bool scopes_reported = false;
  std::vector<std::string> scopes;

  // The scopes in `required` this token lacks (empty when not reported).
  std::vector<std::string> missing_scopes(const std::vector<std::string>& required) const;
};

// The classic-token scopes seed 000 asks for: repo, workflow, admin:repo_hook.
std::vector<std::string> required_token_scopes();

class ApiClient {
 public:
  explicit ApiClient(ApiClientConfig config);

  // POST /repos/{owner}/{repo}/statuses/{sha}
  Status create_commit_status(const CommitStatusRequest& request) const;
  // POST /repos/{owner}/{repo}/actions/workflows/{workflow_file}/dispatches
  Status dispatch_workflow(const WorkflowDispatchRequest& request) const;
  // GET /repos/{owner}/{repo}/actions/runs (or .../workflows/{file}/runs)
  //     ?event=...&branch=...&per_page=...   newest first, as GitHub orders them
  Result<std::vector<WorkflowRun>> list_workflow_runs(const WorkflowRunQuery& query) const;
  // GET /user: who the token belongs to and its scopes.
  Result<TokenInfo> validate_token() const;

 private:
  Result<HttpResponse> call(const std::string& method, const std::string& path,
                            const std::string& body) const;

  ApiClientConfig config_;
  HttpTransport transport_;
};

// UTF-8-safe truncation to at most `max_chars` code points; a truncated text
// ends with "…" (counted in the limit).
std::string truncate_description(std::string_view text, size_t max_chars = kMaxStatusDescription);

// The GitHub answer for a non-2xx status as an Error (see the table above).
Error error_from_response(const std::string& what, const HttpResponse& response);

// True for failures worth retrying later (kUnavailable).
bool is_retryable(const Error& error);

// Delay before retry `attempt` (1-based) of a GitHub call: 2s, 4s, 8s, 16s,
// 32s, then 60s (seed 001's schedule; core/backoff.h).
std::chrono::milliseconds next_retry_delay(int attempt);
// How many attempts a caller makes before giving up (seed 001: 6).
inline constexpr int kMaxGithubAttempts = 6;

}  // namespace opz::github
