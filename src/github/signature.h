// Webhook signatures: GitHub signs every delivery with HMAC-SHA256 of the raw
// request body under the webhook secret and sends it as
//   X-Hub-Signature-256: sha256=<64 hex digits>
// verify_signature() checks such a header value; sign() produces one (for
// tests and for the fake GitHub used by integration tests).
//
// Contract: the HMAC is computed over the body bytes exactly as received
// (never a re-serialization of parsed JSON). The digest comparison is
// constant-time. Every rejection is ErrorCode::kUnauthenticated with a message
// that says which check failed, and never echoes the secret or the expected
// digest. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::github {

inline constexpr std::string_view kSignatureHeader = "X-Hub-Signature-256";
inline constexpr std::string_view kSignaturePrefix = "sha256=";

// "sha256=" followed by the lower-case hex HMAC-SHA256 of `body` under `secret`.
std::string sign(std::string_view secret, std::string_view body);

// Checks `header_value` (the X-Hub-Signature-256 value; empty when the header
// is absent) against `raw_body`. Surrounding spaces/tabs are ignored; the
// prefix and the hex digits may be upper or lower case. Rejects, each with its own message: an
// unconfigured (empty) secret, a missing header, a SHA-1 "sha1=" signature, a
// wrong prefix, a digest of the wrong length, a non-hex digit, and a digest
// that does not match.
Status verify_signature(std::string_view secret, std::string_view raw_body,
                        std::string_view header_value);

}  // namespace opz::github
