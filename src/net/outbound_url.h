// OutboundUrl: the parts of a URL the server is about to call that decide
// WHERE the call goes — scheme, host, port — read strictly, so that no
// spelling makes the guard see one host and curl or git another.
//
// Refused outright (kValidation naming `field`): control characters, spaces
// and backslashes anywhere ("example.com\@127.0.0.1" is read as two different
// hosts by different parsers); a percent-encoded host; an empty host; a host
// with characters outside [a-z0-9.-_] (internationalised names must be
// written in punycode); an unbracketed IPv6 host; a port outside 1..65535;
// a numeric-looking host that is no valid address ("1.2.3.4.5", "08.1");
// schemes outside the kind's list; git remote helpers ("ext::cmd");
// a host starting with '-' (an option to ssh); more than one '@' before the
// host (parsers disagree on which one ends the userinfo). Userinfo is allowed
// and skipped.
//
// Kinds: kHttp (http, https); kGit (http, https, git, ssh, git+ssh, ssh+git,
// the scp form user@host:path, and local repositories: file:// URLs and
// paths, answered with local = true and no host). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "net/ip_address.h"

namespace opz::net {

enum class UrlKind { kHttp, kGit };

struct OutboundUrl {
  std::string scheme;    // lower case; "ssh" for the scp form; "file" for local paths
  std::string host;      // lower case, no brackets, no trailing dot
  std::string raw_host;  // as written in the URL (brackets and case kept)
  int port = 0;          // explicit or the scheme's default
  bool scp_form = false;  // user@host:path
  bool local = false;     // file:// or a path: no network host at all
  std::optional<IpAddress> literal;  // the host is an address in some spelling
};

Result<OutboundUrl> parse_outbound_url(std::string_view url, std::string_view field,
                                       UrlKind kind);

}  // namespace opz::net
