// Bearer tokens. A token is shown to its owner once and stored only as its
// SHA-256 (hex). Session tokens start with "opzs_", personal API tokens with
// "opzt_" (so a leaked token is recognisable in logs and by secret scanners).
#pragma once

#include <string>
#include <string_view>

namespace opz::auth {

enum class TokenKind { kSession, kApiToken };

// 32 random bytes, hex, behind the kind's prefix.
std::string generate_token(TokenKind kind);
std::string hash_token(std::string_view token);
// The first 12 characters, safe to list ("opzt_3fa1c2d").
std::string token_prefix(std::string_view token);

}  // namespace opz::auth
