// OutboundGuard: the one gate every URL the server calls on a user's behalf
// goes through (GitHub API, notification webhooks, git polling, HTTP health
// checks, connections) — against SSRF: a user-supplied URL must not make the
// server reach loopback, private, link-local, metadata or other internal
// addresses, in any spelling, unless the admin's allow-list names them.
//
// check(url, field, kind): parses the URL strictly (outbound_url.h), resolves
// its host ONCE (the injected Resolver; getaddrinfo in production; localhost
// and *.localhost are loopback without asking DNS), and refuses when ANY
// answer is a special-purpose address the policy does not allow. It answers
// the checked addresses: the caller must connect to those (curl:
// connect_to(); git: curl_resolve()), never look the name up again — a second
// lookup could answer differently (DNS rebinding). Callers do not follow
// redirects (a Location could point anywhere). Refusals are kValidation naming
// `field`; a name that does not resolve is kUnavailable. Every refusal by
// check() is reported to the refusal listener (the app audits it as
// "outbound.refused").
//
// validate(url, field, kind): the configuration-time form for API handlers:
// the same verdict, except that a name that does not resolve right now is
// accepted (it is checked again at each call), and nothing is reported.
//
// Thread-safe once built (set_refusal_listener before use).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/address_policy.h"
#include "net/outbound_url.h"

namespace opz::net {

using Resolver = std::function<Result<std::vector<IpAddress>>(const std::string& host)>;

// getaddrinfo (AF_UNSPEC, SOCK_STREAM); kUnavailable when the name does not resolve.
Resolver system_resolver();

struct CheckedUrl {
  OutboundUrl url;
  std::vector<IpAddress> addresses;  // all checked; empty only for local repositories

  // libcurl CURLOPT_CONNECT_TO entry sending every connection of the handle to
  // the first checked address: "::ADDR:PORT" ("::[::1]:443" for IPv6).
  std::string connect_to() const;
  // libcurl CURLOPT_RESOLVE / git http.curloptResolve entry for the host as
  // written: "HOST:PORT:ADDR[,ADDR...]".
  std::string curl_resolve() const;
};

struct OutboundRefusal {
  std::string field;
  std::string host;    // the URL's host (normalised); never the whole URL
  std::string reason;  // the error message
};

class OutboundGuard {
 public:
  explicit OutboundGuard(AddressPolicy policy, Resolver resolver = system_resolver());

  Result<CheckedUrl> check(std::string_view url, std::string_view field, UrlKind kind) const;
  Status validate(std::string_view url, std::string_view field, UrlKind kind) const;

  void set_refusal_listener(std::function<void(const OutboundRefusal&)> listener);
  const AddressPolicy& policy() const { return policy_; }

 private:
  enum class Unresolved { kRefuse, kAccept };
  Result<CheckedUrl> judge(std::string_view url, std::string_view field, UrlKind kind,
                           Unresolved unresolved) const;

  AddressPolicy policy_;
  Resolver resolver_;
  std::function<void(const OutboundRefusal&)> on_refused_;
};

// True for "localhost", "*.localhost" and "localhost.localdomain" (RFC 6761:
// always loopback, never asked of DNS).
bool is_localhost_name(std::string_view normalized_host);

}  // namespace opz::net
