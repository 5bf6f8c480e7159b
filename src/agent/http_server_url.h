// ServerUrl: where the agent's HTTP client connects, parsed from the
// server's URL as given on the command line: `http://host[:port][/base]` or
// `https://…`; host a name (resolved with getaddrinfo when connecting), an
// IPv4 address or a bracketed IPv6 one (`[::1]`). Scheme, host and port are
// read by net::parse_outbound_url (the server's strict URL reader: the same
// refusals, the host in lower case, an IPv4 address in any spelling
// normalised); a trailing '/' is dropped; user info, a query or a fragment
// are refused. Errors: Error::validation, field "server".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::agent {

struct ServerUrl {
  bool tls = false;        // https
  std::string host;        // lower case, no brackets: "::1", "127.0.0.1", "ci.example.com"
  uint16_t port = 0;       // 80 / 443 unless given
  std::string base_path;   // "" or "/prefix" (no trailing '/'), put before every request path
  std::string host_header; // the Host header: the host as written, ":port" when one was given
  bool host_is_address = false;  // an IP literal: no SNI, the certificate's IP is checked

  static Result<ServerUrl> parse(std::string_view url);
  // "http(s)://host_header" + base_path, for messages.
  std::string text() const;
};

}  // namespace opz::agent
