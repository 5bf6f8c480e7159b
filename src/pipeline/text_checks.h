// Checks on raw definition text before and after YAML decoding: valid UTF-8
// (nlohmann::json and the API need it; a replaced character would also break
// the canonical JSON round trip) and no control characters, which YAML does
// not allow in a document. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace opz::pipeline {

// Byte offset of the first invalid UTF-8 sequence (bad lead or continuation
// byte, truncated, overlong, surrogate, above U+10FFFF), or npos.
size_t invalid_utf8_at(std::string_view text);

// Byte offset of the first C0 control character other than tab, LF and CR,
// or DEL, or npos.
size_t control_character_at(std::string_view text);

}  // namespace opz::pipeline
