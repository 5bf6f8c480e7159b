#include "agent/http_server_url.h"

#include "net/outbound_url.h"

namespace opz::agent {

namespace {

Error bad_url(std::string_view url, const std::string& why) {
  return Error::validation("bad server URL '" + std::string(url.substr(0, 200)) + "': " + why,
                           "server");
}

}  // namespace

Result<ServerUrl> ServerUrl::parse(std::string_view url) {
  // Where the connection goes (scheme, host, port) is read by the strict
  // parser every URL the server calls goes through, so the agent and the
  // server agree on what a URL names; what follows is the agent's own.
  OPZ_TRY(net::OutboundUrl where, net::parse_outbound_url(url, "server", net::UrlKind::kHttp));
  std::string_view rest = url.substr(url.find("://") + 3);
  const size_t end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  const std::string_view path =
      end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (path.find_first_of("?#") != std::string_view::npos)
    return bad_url(url, "a query or fragment is not allowed");
  if (authority.find('@') != std::string_view::npos)
    return bad_url(url, "user info is not allowed (the agent sends its token)");
  ServerUrl out;
  out.tls = where.scheme == "https";
  out.host = where.host;
  out.port = static_cast<uint16_t>(where.port);
  out.host_is_address = where.literal.has_value();
  out.host_header = std::string(authority);
  out.base_path = std::string(path);
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  return out;
}

std::string ServerUrl::text() const {
  return std::string(tls ? "https://" : "http://") + host_header + base_path;
}

}  // namespace opz::agent
