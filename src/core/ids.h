// Identifiers: every row id is a random (version 4) UUID in canonical
// lower-case text form. Tokens are random bytes in URL-safe base64.
#pragma once

#include <string>
#include <string_view>

namespace opz {

std::string new_uuid();
bool is_uuid(std::string_view text);
// `bytes` random bytes, hex encoded (2*bytes characters). Uses libsodium's CSPRNG.
std::string random_hex(size_t bytes);

}  // namespace opz
