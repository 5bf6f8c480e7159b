// Log text: turning the raw bytes a process printed into text that is safe to
// store, send as JSON and show in a browser.
//
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace opz::runner {

// Valid UTF-8 copy of `raw`: NUL bytes are removed and every ill-formed
// sequence is replaced by U+FFFD, one replacement per maximal ill-formed
// subpart (the Unicode "best practice", as in WHATWG decoders). Overlong forms,
// surrogates and code points above U+10FFFF count as ill-formed.
std::string to_log_text(std::string_view raw);

// The largest cut <= raw.size() such that raw[0, cut) does not end inside a
// UTF-8 sequence that raw continues: if raw ends with the first 1..3 bytes of
// a well-started multi-byte sequence, the cut goes before them. Used to split
// over-long lines without breaking a character in two.
size_t utf8_safe_cut(std::string_view raw);

}  // namespace opz::runner
