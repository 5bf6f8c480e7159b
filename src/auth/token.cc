#include "auth/token.h"

#include <sodium.h>

#include "core/ids.h"

namespace opz::auth {

std::string generate_token(TokenKind kind) {
  return std::string(kind == TokenKind::kSession ? "opzs_" : "opzt_") + random_hex(32);
}

std::string hash_token(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

std::string token_prefix(std::string_view token) { return std::string(token.substr(0, 12)); }

}  // namespace opz::auth
