#include "api/outbound_check.h"

namespace opz::api {

Status check_outbound_url(const ApiContext& ctx, const std::string& url, std::string_view field,
                          net::UrlKind kind) {
  if (!ctx.outbound || url.empty()) return {};
  return ctx.outbound->validate(url, field, kind);
}

}  // namespace opz::api
