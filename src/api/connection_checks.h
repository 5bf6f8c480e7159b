// Connection checks (issue 12): what one check of a connection sends, how its
// answer is judged, and the run (over github::HttpTransport, behind the
// outbound guard: field "config.url").
//
//   http      GET config.url                      2xx/3xx healthy, else unhealthy
//   registry  GET <url>/v2/ (Basic username:secret with config.username, else
//             Bearer secret)                      200 healthy; 401 with
//             WWW-Authenticate: degraded ("reachable but unauthorized")
//   github    GET <url or https://api.github.com>/user with the token; 200
//             healthy when X-OAuth-Scopes holds repo, workflow and
//             admin:repo_hook (seed 000 §1.2), degraded when some lack
//             (fine-grained tokens report none: healthy, said so); 401 unhealthy
//   otel      POST <url>/v1/traces, an empty OTLP JSON body
//             {"resourceSpans":[]}                2xx healthy, else unhealthy
// No answer at all (refused by the guard, DNS, connect, timeout): unhealthy
// with the reason. Redirects are not followed. The secret is never in a
// message. plan_check and judge_check are pure; run_connection_check does I/O.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "github/http_transport.h"
#include "store/connection_store.h"

namespace opz::api {

inline constexpr std::string_view kConnectionTypes[] = {"github", "registry", "otel", "http"};

struct CheckVerdict {
  std::string status;  // healthy | degraded | unhealthy
  std::string message;
};

// The request one check sends; kValidation when the connection cannot be
// checked as configured (a github connection without a token).
Result<github::HttpRequest> plan_check(const store::ConnectionRecord& c, const std::string& secret);

CheckVerdict judge_check(const std::string& type, const Result<github::HttpResponse>& answer);

struct CheckRun {
  CheckVerdict verdict;
  int64_t response_time_ms = 0;
};

// Plans, sends (through `transport`) and judges one check.
CheckRun run_connection_check(const github::HttpTransport& transport,
                              const store::ConnectionRecord& c, const std::string& secret);

}  // namespace opz::api
