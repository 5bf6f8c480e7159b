// Identifiers: every row id is a version 7 UUID (RFC 9562) in canonical
// lower-case text form: 48 bits of Unix milliseconds, then 74 random bits.
// Time-ordered ids make every primary-key insert an append to its index
// instead of a write to a random page (measured on the webhook table, where
// random v4 ids slowed inserts as the table grew). Tokens are random bytes in
// URL-safe base64.
#pragma once

#include <string>
#include <string_view>

namespace opz {

std::string new_uuid();
bool is_uuid(std::string_view text);
// `bytes` random bytes, hex encoded (2*bytes characters). Uses libsodium's CSPRNG.
std::string random_hex(size_t bytes);

}  // namespace opz
