#include "net/outbound_url.h"
#include "core/ascii.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace opz::net {

namespace {

struct SchemeInfo {
  std::string_view name;
  int default_port;
  bool git_only;
};

constexpr std::array<SchemeInfo, 7> kSchemes{{{"http", 80, false},
                                              {"https", 443, false},
                                              {"git", 9418, true},
                                              {"ssh", 22, true},
                                              {"git+ssh", 22, true},
                                              {"ssh+git", 22, true},
                                              {"file", 0, true}}};

class Parser {
 public:
  Parser(std::string_view field, UrlKind kind) : field_(field), kind_(kind) {}

  Error bad(const std::string& why) const {
    return Error::validation(std::string(field_) + " " + why, std::string(field_));
  }

  Result<OutboundUrl> parse(std::string_view url) {
    if (url.empty()) return bad("is empty");
    if (url.size() > 2048) return bad("is longer than 2048 characters");
    for (unsigned char c : url) {
      if (c <= 0x20 || c == 0x7f) return bad("contains a space or a control character");
      if (c == '\\')
        return bad("contains a backslash, which URL parsers disagree about; it is refused");
    }
    const size_t sep = url.find("://");
    if (sep == std::string_view::npos) {
      if (kind_ == UrlKind::kHttp) return bad("must be an absolute http:// or https:// URL");
      return parse_git_shorthand(url);
    }
    OutboundUrl out;
    out.scheme = ascii_lower(url.substr(0, sep));
    const SchemeInfo* info = nullptr;
    for (const SchemeInfo& s : kSchemes)
      if (s.name == out.scheme && (kind_ == UrlKind::kGit || !s.git_only)) info = &s;
    if (!info) {
      return bad(kind_ == UrlKind::kHttp
                     ? "must use http:// or https://, not '" + out.scheme + "://'"
                     : "must use https, http, ssh, git or file, not '" + out.scheme + "://'");
    }
    std::string_view rest = url.substr(sep + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (out.scheme == "file") {
      if (!authority.empty() && ascii_lower(authority) != "localhost")
        return bad("names a file:// host; only local file:// URLs exist");
      out.local = true;
      return out;
    }
    OPZ_TRY_STATUS(parse_authority(authority, info->default_port, true, out));
    return out;
  }

 private:
  // git's forms without "://": transport::address, user@host:path, a path.
  Result<OutboundUrl> parse_git_shorthand(std::string_view url) {
    if (url.front() == '-') return bad("cannot start with '-'");
    const size_t slash = url.find('/');
    const size_t helper = url.find("::");
    if (helper != std::string_view::npos && helper > 0 &&
        std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(helper), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
        }))
      return bad("names a git remote helper (transport::address), which is not accepted");
    OutboundUrl out;
    // The scp form: a ':' before any '/' (a bracketed host may hold colons).
    size_t colon = std::string_view::npos;
    const size_t at = url.substr(0, slash).rfind('@');
    const size_t host_start = at == std::string_view::npos ? 0 : at + 1;
    if (host_start < url.size() && url[host_start] == '[') {
      const size_t close = url.find(']', host_start);
      if (close != std::string_view::npos && close + 1 < url.size() && url[close + 1] == ':')
        colon = close + 1;
    } else {
      colon = url.find(':');
    }
    if (colon == std::string_view::npos || (slash != std::string_view::npos && colon > slash)) {
      out.scheme = "file";
      out.local = true;
      return out;
    }
    out.scheme = "ssh";
    out.scp_form = true;
    OPZ_TRY_STATUS(parse_authority(url.substr(0, colon), 22, false, out));
    return out;
  }

  Status parse_authority(std::string_view authority, int default_port, bool port_allowed,
                         OutboundUrl& out) {
    const size_t at = authority.rfind('@');
    if (at != std::string_view::npos && authority.find('@') != at)
      return bad("has more than one '@' before its host, which URL parsers read differently");
    std::string_view host_port =
        at == std::string_view::npos ? authority : authority.substr(at + 1);
    std::string_view host = host_port;
    std::string_view port_text;
    bool has_port = false;
    if (!host_port.empty() && host_port.front() == '[') {
      const size_t close = host_port.find(']');
      if (close == std::string_view::npos) return bad("has an unclosed '[' in its host");
      host = host_port.substr(0, close + 1);
      std::string_view after = host_port.substr(close + 1);
      if (!after.empty()) {
        if (after.front() != ':') return bad("has text after its bracketed host");
        port_text = after.substr(1);
        has_port = true;
      }
    } else {
      const size_t colon = host_port.find(':');
      if (colon != std::string_view::npos) {
        if (host_port.find(':', colon + 1) != std::string_view::npos)
          return bad("has an IPv6 host without brackets (write [addr])");
        host = host_port.substr(0, colon);
        port_text = host_port.substr(colon + 1);
        has_port = true;
      }
    }
    out.raw_host = std::string(host);
    out.port = default_port;
    if (has_port) {
      if (!port_allowed) return bad("has a port in its scp-style host (use ssh://host:port/)");
      int port = 0;
      auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
      if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
          port < 1 || port > 65535)
        return bad("has a port that is not a number from 1 to 65535");
      out.port = port;
    }
    return check_host(host, out);
  }

  Status check_host(std::string_view host, OutboundUrl& out) {
    if (host.empty()) return bad("has no host");
    if (host.find('%') != std::string_view::npos)
      return bad("has a percent-encoded host (or an IPv6 zone id); write the host plainly");
    if (host.front() == '[') {
      out.literal = parse_ipv6(host);
      if (!out.literal) return bad("has a bracketed host that is not an IPv6 address");
      out.host = out.literal->to_string();
      return {};
    }
    std::string name = ascii_lower(host);
    if (name.back() == '.') name.pop_back();
    if (name.empty() || name.front() == '.' || name.find("..") != std::string::npos)
      return bad("has a host with an empty label");
    if (name.front() == '-') return bad("has a host starting with '-'");
    for (unsigned char c : name) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
      if (!ok)
        return bad(
            "has a host with characters outside a-z, 0-9, '.', '-' and '_' "
            "(write internationalised names in punycode)");
    }
    if (looks_numeric_host(name)) {
      out.literal = parse_ipv4_any_form(name);
      if (!out.literal) return bad("has a numeric host that is not a valid IPv4 address");
      out.host = out.literal->to_string();
      return {};
    }
    out.host = std::move(name);
    return {};
  }

  std::string_view field_;
  UrlKind kind_;
};

}  // namespace

Result<OutboundUrl> parse_outbound_url(std::string_view url, std::string_view field, UrlKind kind) {
  return Parser(field, kind).parse(url);
}

}  // namespace opz::net
