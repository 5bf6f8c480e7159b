#include "github/api_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/backoff.h"
#include "core/json.h"
#include "github/payload_reader.h"
#include "github/repository_locator.h"

namespace opz::github {
namespace {

std::shared_ptr<spdlog::logger> logger() {
  auto log = spdlog::get("github");
  return log ? log : spdlog::default_logger();
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

Status check_repository(const std::string& owner, const std::string& repo) {
  Status s = check_full_name(owner + "/" + repo);
  if (!s.ok()) return Error::validation(s.error().message, "repository");
  return ok_status();
}

Status check_sha(const std::string& sha) {
  if (sha.size() < 7 || sha.size() > 64 || !std::all_of(sha.begin(), sha.end(), is_hex)) {
    return Error::validation("commit sha must be 7-64 hex digits, got '" + sha + "'", "sha");
  }
  return ok_status();
}

Status check_workflow_file(const std::string& file) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  };
  if (file.empty() || file.size() > 255 || file == "." || file == ".." ||
      !std::all_of(file.begin(), file.end(), ok_char)) {
    return Error::validation(
        "workflow file must be a file name like 'deploy.yml' or a workflow "
        "id, got '" +
            file + "'",
        "workflow_file");
  }
  return ok_status();
}

std::string repo_path(const std::string& owner, const std::string& repo) {
  return "/repos/" + owner + "/" + repo;
}

// GitHub's error body: {"message": "...", "errors": [...], "documentation_url": "..."}.
std::string github_message(const HttpResponse& response) {
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return "";
  std::string out;
  if (auto m = body.find("message"); m != body.end() && m->is_string()) out = m->get<std::string>();
  if (auto errs = body.find("errors"); errs != body.end() && errs->is_array()) {
    std::string details;
    for (const auto& e : *errs) {
      std::string one;
      if (e.is_string()) {
        one = e.get<std::string>();
      } else if (e.is_object()) {
        if (auto m = e.find("message"); m != e.end() && m->is_string()) {
          one = m->get<std::string>();
        } else {
          auto field = e.value("field", std::string());
          auto code = e.value("code", std::string());
          one = field.empty() ? code : field + " " + code;
        }
      }
      if (one.empty()) continue;
      if (!details.empty()) details += "; ";
      details += one;
    }
    if (!details.empty()) out += (out.empty() ? "" : " (") + details + (out.empty() ? "" : ")");
  }
  return out;
}

Result<Json> parse_success_body(const std::string& what, const HttpResponse& response) {
  auto body = parse_json(response.body);
  if (!body) {
    return Error::unavailable(what + ": GitHub answered " + std::to_string(response.status) +
                              " with an unreadable body: " + body.error().message);
  }
  return body;
}

Result<WorkflowRun> read_run(const Json& j) {
  PayloadReader r(j, "workflow run");
  WorkflowRun run;
  OPZ_TRY(run.id, r.required_int("id"));
  OPZ_TRY(run.name, r.optional_string("name"));
  OPZ_TRY(run.head_sha, r.optional_string("head_sha"));
  OPZ_TRY(run.head_branch, r.optional_string("head_branch"));
  OPZ_TRY(run.event, r.optional_string("event"));
  OPZ_TRY(run.status, r.optional_string("status"));
  OPZ_TRY(run.conclusion, r.optional_string("conclusion"));
  OPZ_TRY(run.workflow_id, r.optional_int("workflow_id"));
  OPZ_TRY(run.run_number, r.optional_int("run_number"));
  OPZ_TRY(run.html_url, r.optional_string("html_url"));
  OPZ_TRY(run.created_at, r.optional_string("created_at"));
  return run;
}

std::vector<std::string> split_scopes(std::string_view header) {
  std::vector<std::string> scopes;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) scopes.emplace_back(part);
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return scopes;
}

}  // namespace

std::string_view commit_state_name(CommitState state) {
  switch (state) {
    case CommitState::kPending:
      return "pending";
    case CommitState::kSuccess:
      return "success";
    case CommitState::kFailure:
      return "failure";
    case CommitState::kError:
      return "error";
  }
  return "error";
}

std::vector<std::string> required_token_scopes() { return {"repo", "workflow", "admin:repo_hook"}; }

std::vector<std::string> TokenInfo::missing_scopes(const std::vector<std::string>& required) const {
  std::vector<std::string> missing;
  if (!scopes_reported) return missing;
  for (const auto& want : required) {
    if (std::find(scopes.begin(), scopes.end(), want) == scopes.end()) missing.push_back(want);
  }
  return missing;
}

std::string truncate_description(std::string_view text, size_t max_chars) {
  auto is_lead = [](unsigned char c) { return (c & 0xC0) != 0x80; };
  size_t chars = static_cast<size_t>(std::count_if(text.begin(), text.end(), is_lead));
  if (chars <= max_chars) return std::string(text);
  if (max_chars == 0) return "";
  // Keep max_chars - 1 code points, then the ellipsis.
  size_t kept = 0;
  size_t end = 0;
  for (; end < text.size(); ++end) {
    if (is_lead(static_cast<unsigned char>(text[end]))) {
      if (kept == max_chars - 1) break;
      ++kept;
    }
  }
  return std::string(text.substr(0, end)) + "\xE2\x80\xA6";
}

Error error_from_response(const std::string& what, const HttpResponse& response) {
  const long status = response.status;
  std::string message = github_message(response);
  std::string text = what + ": GitHub answered " + std::to_string(status);
  if (!message.empty()) text += ": " + message;
  if (status == 401) return Error::unauthenticated(text + " (check the GitHub token)");
  if (status == 403 || status == 429) {
    const bool rate_limited = status == 429 || response.header("x-ratelimit-remaining") == "0" ||
                              !response.header("retry-after").empty();
    if (rate_limited) {
      std::string reset = response.header("x-ratelimit-reset");
      std::string retry_after = response.header("retry-after");
      if (!retry_after.empty())
        text += " (rate limited; retry after " + retry_after + " s)";
      else if (!reset.empty())
        text += " (rate limited; resets at unix time " + reset + ")";
      else
        text += " (rate limited)";
      return Error::unavailable(text);
    }
    return Error::forbidden(text + " (the token lacks a permission)");
  }
  if (status == 404) {
    return Error::not_found(text +
                            " (the repository or workflow does not exist, or the token "
                            "cannot see it)");
  }
  if (status == 422) return Error::validation(text);
  if (status >= 500) return Error::unavailable(text);
  return Error::internal(text);
}

bool is_retryable(const Error& error) { return error.code == ErrorCode::kUnavailable; }

std::chrono::milliseconds next_retry_delay(int attempt) {
  return exponential_backoff(attempt, std::chrono::seconds{2}, std::chrono::seconds{60});
}

ApiClient::ApiClient(ApiClientConfig config)
    : config_(std::move(config)), transport_(config_.transport) {
  while (!config_.api_base.empty() && config_.api_base.back() == '/') config_.api_base.pop_back();
}

Result<HttpResponse> ApiClient::call(const std::string& method, const std::string& path,
                                     const std::string& body) const {
  HttpRequest request;
  request.method = method;
  request.url = config_.api_base + path;
  request.headers = {
      {"Authorization", "Bearer " + config_.token},
      {"Accept", "application/vnd.github+json"},
      {"X-GitHub-Api-Version", std::string(kApiVersion)},
      {"User-Agent", config_.user_agent},
  };
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = body;
  auto response = transport_.send(request);
  if (!response) {
    logger()->warn("GitHub request failed: {}", response.error().message);
    return response;
  }
  logger()->debug("GitHub {} {} -> {}", method, path, response->status);
  return response;
}

Status ApiClient::create_commit_status(const CommitStatusRequest& request) const {
  OPZ_TRY_STATUS(check_repository(request.owner, request.repo));
  OPZ_TRY_STATUS(check_sha(request.sha));
  Json body = {{"state", std::string(commit_state_name(request.state))},
               {"description", truncate_description(request.description)},
               {"context", request.context.empty() ? std::string("opzenix") : request.context}};
  if (!request.target_url.empty()) body["target_url"] = request.target_url;
  const std::string path = repo_path(request.owner, request.repo) + "/statuses/" + request.sha;
  OPZ_TRY(HttpResponse response, call("POST", path, dump_json(body)));
  if (response.status < 200 || response.status >= 300) {
    return error_from_response("commit status for " + request.sha.substr(0, 7), response);
  }
  return ok_status();
}

Status ApiClient::dispatch_workflow(const WorkflowDispatchRequest& request) const {
  OPZ_TRY_STATUS(check_repository(request.owner, request.repo));
  OPZ_TRY_STATUS(check_workflow_file(request.workflow_file));
  if (request.ref.empty()) return Error::validation("workflow dispatch needs a ref", "ref");
  Json body = {{"ref", request.ref}};
  if (!request.inputs.empty()) body["inputs"] = request.inputs;
  const std::string path = repo_path(request.owner, request.repo) + "/actions/workflows/" +
                           request.workflow_file + "/dispatches";
  OPZ_TRY(HttpResponse response, call("POST", path, dump_json(body)));
  if (response.status < 200 || response.status >= 300) {
    return error_from_response("dispatch of " + request.workflow_file, response);
  }
  return ok_status();
}

Result<std::vector<WorkflowRun>> ApiClient::list_workflow_runs(
    const WorkflowRunQuery& query) const {
  OPZ_TRY_STATUS(check_repository(query.owner, query.repo));
  std::string path = repo_path(query.owner, query.repo) + "/actions/";
  if (!query.workflow_file.empty()) {
    OPZ_TRY_STATUS(check_workflow_file(query.workflow_file));
    path += "workflows/" + query.workflow_file + "/";
  }
  path += "runs?per_page=" + std::to_string(std::clamp(query.per_page, 1, 100));
  if (!query.event.empty()) path += "&event=" + url_encode(query.event);
  if (!query.branch.empty()) path += "&branch=" + url_encode(query.branch);
  OPZ_TRY(HttpResponse response, call("GET", path, ""));
  const std::string what = "workflow runs of " + query.owner + "/" + query.repo;
  if (response.status != 200) return error_from_response(what, response);
  OPZ_TRY(Json body, parse_success_body(what, response));
  auto runs = body.is_object() ? body.find("workflow_runs") : body.end();
  if (!body.is_object() || runs == body.end() || !runs->is_array()) {
    return Error::unavailable(what + ": GitHub's answer has no 'workflow_runs' array");
  }
  std::vector<WorkflowRun> out;
  out.reserve(runs->size());
  for (const auto& j : *runs) {
    auto run = read_run(j);
    if (!run) return Error::unavailable(what + ": " + run.error().message);
    out.push_back(std::move(run).value());
  }
  return out;
}

Result<TokenInfo> ApiClient::validate_token() const {
  if (config_.token.empty()) return Error::unauthenticated("no GitHub token configured");
  OPZ_TRY(HttpResponse response, call("GET", "/user", ""));
  if (response.status != 200) return error_from_response("token validation", response);
  OPZ_TRY(Json body, parse_success_body("token validation", response));
  TokenInfo info;
  PayloadReader r(body, "GitHub user");
  auto login = r.required_string("login");
  if (!login) return Error::unavailable("token validation: " + login.error().message);
  info.login = std::move(login).value();
  auto scopes = response.headers.find("x-oauth-scopes");
  if (scopes != response.headers.end()) {
    info.scopes_reported = true;
    info.scopes = split_scopes(scopes->second);
  }
  return info;
}

}  // namespace opz::github
