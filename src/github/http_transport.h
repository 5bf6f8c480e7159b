// HttpTransport: one blocking HTTPS request over libcurl, for the GitHub API
// client. It knows nothing about GitHub: it sends the given method, URL,
// headers and body, and answers the status, headers and body, or an error
// when no HTTP answer arrived at all (connection refused, DNS, TLS, timeout).
//
// Contract: bounded in time (connect and total timeouts) and size (response
// bodies over max_response_bytes fail); redirects are not followed (so a
// token never follows a Location to another host); no proxy is used for
// loopback hosts (localhost, 127.0.0.1, ::1); only http and https.
// With an OutboundGuard (options.guard), every URL is checked first (a
// refusal is kValidation naming options.guarded_field, and nothing is
// connected to) and the connection goes to the address the guard checked
// (CURLOPT_CONNECT_TO), never to a second lookup; no proxy is used then.
// Transport failures are kUnavailable (worth retrying later). Header values
// are never logged. Each call uses its own curl handle, so one transport may
// be used from several threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "net/outbound_guard.h"

namespace opz::github {

struct HttpTransportOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};
  size_t max_response_bytes = 8u * 1024u * 1024u;
  // The outbound guard (SSRF); null: URLs are not checked (unit tests of
  // callers). Not owned; outlives the transport.
  const net::OutboundGuard* guard = nullptr;
  std::string guarded_field = "url";  // named in refusals ("api_base_url")
};

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string url;     // absolute
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // sent when non-empty or for POST/PUT/PATCH
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; last value wins
  std::string body;

  // The header's value, or "" when absent. `lower_name` must be lower case.
  std::string header(const std::string& lower_name) const;
};

class HttpTransport {
 public:
  explicit HttpTransport(HttpTransportOptions options = {});
  Result<HttpResponse> send(const HttpRequest& request) const;

 private:
  HttpTransportOptions options_;
};

// Percent-encodes `text` for use inside a URL path segment or query value
// (RFC 3986 unreserved characters pass through).
std::string url_encode(std::string_view text);

}  // namespace opz::github
