#include "agent/http_server_url.h"

#include <arpa/inet.h>

#include <cctype>

namespace opz::agent {

namespace {

Error bad_url(std::string_view url, const std::string& why) {
  return Error::validation("bad server URL '" + std::string(url.substr(0, 200)) + "': " + why,
                           "server");
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

Result<ServerUrl> ServerUrl::parse(std::string_view url) {
  ServerUrl out;
  std::string_view rest;
  if (starts_with_nocase(url, "http://")) {
    rest = url.substr(7);
  } else if (starts_with_nocase(url, "https://")) {
    rest = url.substr(8);
    out.tls = true;
  } else {
    return bad_url(url, "it must start with http:// or https://");
  }
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view path = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (path.find_first_of("?#") != std::string_view::npos)
    return bad_url(url, "a query or fragment is not allowed");
  if (authority.find('@') != std::string_view::npos)
    return bad_url(url, "user info is not allowed (the agent sends its token)");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad_url(url, "no ']' after an IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    in6_addr v6{};
    if (inet_pton(AF_INET6, out.host.c_str(), &v6) != 1) return bad_url(url, "bad IPv6 address");
    out.host_is_address = true;
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(url, "unexpected text after ']'");
      port_text = after.substr(1);
      if (port_text.empty()) return bad_url(url, "an empty port");
    }
  } else {
    size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return bad_url(url, "an empty port");
    }
    for (char c : out.host)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
        return bad_url(url, "bad character in the host name");
    in_addr v4{};
    out.host_is_address = inet_pton(AF_INET, out.host.c_str(), &v4) == 1;
  }
  if (out.host.empty()) return bad_url(url, "no host");
  if (port_text.empty()) {
    out.port = out.tls ? 443 : 80;
  } else {
    unsigned long port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) return bad_url(url, "bad port");
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port == 0 || port > 65535) return bad_url(url, "bad port");
    out.port = static_cast<uint16_t>(port);
  }
  out.host_header = std::string(authority);
  out.base_path = std::string(path);
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  return out;
}

std::string ServerUrl::text() const {
  return std::string(tls ? "https://" : "http://") + host_header + base_path;
}

}  // namespace opz::agent
