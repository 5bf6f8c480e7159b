#include "api/function_token.h"

#include <sodium.h>

namespace opz::api {

bool same_secret(std::string_view given, std::string_view expected) {
  unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
  crypto_generichash(a, sizeof a, reinterpret_cast<const unsigned char*>(given.data()),
                     given.size(), nullptr, 0);
  crypto_generichash(b, sizeof b, reinterpret_cast<const unsigned char*>(expected.data()),
                     expected.size(), nullptr, 0);
  return sodium_memcmp(a, b, sizeof a) == 0;
}

Status check_function_token(const http::Request& req, const std::string& configured,
                            std::string_view header, std::string_view option,
                            std::string_view env) {
  if (configured.empty())
    return Error::unavailable(std::string("this function is disabled: no token is configured; "
                                          "set the ") +
                              std::string(option) + " option or the " + std::string(env) +
                              " environment variable (e.g. openssl rand -hex 32)");
  std::string_view given = req.header(header);
  if (given.empty()) return Error::unauthenticated("missing " + std::string(header) + " header");
  if (!same_secret(given, configured))
    return Error::unauthenticated("invalid " + std::string(header));
  return {};
}

}  // namespace opz::api
