#include "api/connection_checks.h"

#include <algorithm>
#include <sstream>

#include "github/api_client.h"
#include "secrets/encoding.h"

namespace opz::api {

namespace {

std::string base_url(const store::ConnectionRecord& c) {
  std::string url = c.config.value("url", std::string());
  if (url.empty() && c.type == "github") url = std::string(github::kDefaultApiBase);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool success(long status) { return status >= 200 && status < 300; }

std::vector<std::string> split_scopes(const std::string& header) {
  std::vector<std::string> out;
  std::stringstream ss(header);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

CheckVerdict judge_github(const github::HttpResponse& r) {
  if (r.status == 401) return {"unhealthy", "GitHub rejected the token (HTTP 401)"};
  if (!success(r.status))
    return {"unhealthy", "GitHub answered HTTP " + std::to_string(r.status)};
  if (r.headers.find("x-oauth-scopes") == r.headers.end())
    return {"healthy", "token accepted (a fine-grained token: GitHub reports no scopes)"};
  const std::vector<std::string> have = split_scopes(r.header("x-oauth-scopes"));
  std::string missing;
  for (const std::string& need : github::required_token_scopes())
    if (std::find(have.begin(), have.end(), need) == have.end())
      missing += (missing.empty() ? "" : ", ") + need;
  if (!missing.empty()) return {"degraded", "token accepted but lacks scopes: " + missing};
  return {"healthy", "token accepted with scopes repo, workflow, admin:repo_hook"};
}

}  // namespace

Result<github::HttpRequest> plan_check(const store::ConnectionRecord& c,
                                       const std::string& secret) {
  github::HttpRequest r;
  r.method = "GET";
  const std::string base = base_url(c);
  if (base.empty()) return Error::validation("the connection has no config.url", "config.url");
  r.headers.push_back({"User-Agent", "opzenix-connection-check"});
  if (c.type == "http") {
    r.url = c.config.value("url", std::string());
    if (!secret.empty()) r.headers.push_back({"Authorization", "Bearer " + secret});
  } else if (c.type == "registry") {
    r.url = base + "/v2/";
    const std::string user = c.config.value("username", std::string());
    if (!secret.empty())
      r.headers.push_back({"Authorization", user.empty()
                                                ? "Bearer " + secret
                                                : "Basic " + secrets::to_base64(user + ":" + secret)});
  } else if (c.type == "github") {
    if (secret.empty())
      return Error::validation("a github connection needs its token in 'secret'", "secret");
    r.url = base + "/user";
    r.headers.push_back({"Authorization", "Bearer " + secret});
    r.headers.push_back({"Accept", "application/vnd.github+json"});
    r.headers.push_back({"X-GitHub-Api-Version", std::string(github::kApiVersion)});
  } else if (c.type == "otel") {
    r.method = "POST";
    r.url = base + "/v1/traces";
    r.body = R"({"resourceSpans":[]})";
    r.headers.push_back({"Content-Type", "application/json"});
    if (!secret.empty()) r.headers.push_back({"Authorization", "Bearer " + secret});
  } else {
    return Error::validation("unknown connection type '" + c.type + "'", "type");
  }
  return r;
}

CheckVerdict judge_check(const std::string& type, const Result<github::HttpResponse>& answer) {
  if (!answer) return {"unhealthy", answer.error().message};
  const github::HttpResponse& r = *answer;
  const std::string http = "HTTP " + std::to_string(r.status);
  if (type == "github") return judge_github(r);
  if (type == "registry") {
    if (success(r.status)) return {"healthy", "registry API v2 answered " + http};
    if (r.status == 401 && !r.header("www-authenticate").empty())
      return {"degraded", "registry reachable but unauthorized (" + http + ", " +
                              r.header("www-authenticate").substr(0, 200) + ")"};
    return {"unhealthy", "registry answered " + http};
  }
  if (type == "otel") {
    if (success(r.status)) return {"healthy", "OTLP endpoint accepted an empty export (" + http + ")"};
    return {"unhealthy", "OTLP endpoint answered " + http};
  }
  if (r.status >= 200 && r.status < 400) return {"healthy", http};
  return {"unhealthy", http};
}

CheckRun run_connection_check(const github::HttpTransport& transport,
                              const store::ConnectionRecord& c, const std::string& secret) {
  CheckRun run;
  auto request = plan_check(c, secret);
  if (!request) {
    run.verdict = {"unhealthy", request.error().message};
    return run;
  }
  const auto start = std::chrono::steady_clock::now();
  auto answer = transport.send(*request);
  run.response_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  run.verdict = judge_check(c.type, answer);
  return run;
}

}  // namespace opz::api
