// The outbound guard at configuration time: a URL the server will later call
// (a project's git_url, the GitHub API base URL, a notification webhook, a
// connection) is refused with 422 naming `field` when it points at an
// address the guard refuses (net/outbound_guard.h: validate()). A name that
// does not resolve yet passes here; the guard checks it again at each call.
// Without a guard in the context (tests of other routes) nothing is checked.
#pragma once

#include <string>
#include <string_view>

#include "api/api_context.h"
#include "net/outbound_guard.h"

namespace opz::api {

Status check_outbound_url(const ApiContext& ctx, const std::string& url, std::string_view field,
                          net::UrlKind kind);

}  // namespace opz::api
