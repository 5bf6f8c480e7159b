// Byte encodings the secrets module needs: base64 (libsodium, standard and
// URL-safe alphabets, with or without padding) for key files and sealed
// texts, and the forms a step may print a secret in (masking).
//
// Pure functions; thread-safe (libsodium's codecs need no sodium_init()).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::secrets {

enum class Base64Alphabet { kStandard, kUrlSafe };

std::string to_base64(std::string_view bytes, Base64Alphabet alphabet = Base64Alphabet::kStandard,
                      bool padded = true);
// Padded standard base64; spaces and newlines are ignored. kMalformed naming
// `what` otherwise.
Result<std::string> from_base64(std::string_view text, std::string_view what);

// Percent-encoding of every byte outside the RFC 3986 unreserved set
// (A-Z a-z 0-9 - . _ ~). `upper_hex` picks %2F or %2f; `plus_for_space`
// writes a space as '+' (HTML form encoding) instead of %20.
std::string percent_encode(std::string_view bytes, bool upper_hex, bool plus_for_space);

// The text between the quotes of the JSON string holding `bytes`: `"`, `\`
// and control characters escaped; `ascii_only` also writes every non-ASCII
// character as \uXXXX (invalid UTF-8 becomes U+FFFD).
std::string json_escape(std::string_view bytes, bool ascii_only);

}  // namespace opz::secrets
