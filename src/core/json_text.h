// Writing JSON text directly, for hot paths that must not build a document
// (the event stream's frames, the engine's checkpoints).
#pragma once

#include <string>
#include <string_view>

namespace opz {

// `s` as a JSON string literal appended to `out`. Most strings (ids, names,
// times, statuses) need no escape and are quoted as they are; anything else
// (quotes, backslashes, control characters, non-ASCII bytes) goes through
// the JSON library, which also replaces invalid UTF-8 (as dump_json does).
void append_json_string(std::string& out, std::string_view s);

}  // namespace opz
