// The fast path of parse_json_keeping (core/json.h): one pass over the text
// that builds only the kept members and steps over the rest without copying
// them (nlohmann's lexer copies every string of the document into its token
// buffer, the members it then drops included; on a 7.7 KB push that was most
// of the parse).
//
// Contract: it never accepts a text nlohmann's parser rejects, and when it
// accepts, the result equals parse_json_keeping's. It may decline a text
// nlohmann accepts (a leading byte-order mark, nesting deeper than
// kMaxSkimDepth inside kept values, a number it cannot classify cheaply);
// it answers nullopt for everything it does not accept, and the caller then
// parses with nlohmann, which gives the exact result or error. Strictness
// follows RFC 8259 as nlohmann applies it: UTF-8 checked byte by byte
// (RFC 3629, no overlongs, no surrogates), escapes and \u surrogate pairs,
// no control characters in strings, numbers that overflow a double refused,
// nothing but whitespace after the value. Differential tests:
// tests/core/json_skim_test.cc and tests/github/octokit_examples_test.cc.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace opz {

// Nesting allowed inside kept values before declining (skipped values nest
// without limit: they are stepped over with a stack, not recursion).
inline constexpr size_t kMaxSkimDepth = 256;

std::optional<Json> skim_json_keeping(std::string_view text,
                                      const std::function<bool(const JsonPath& path)>& keep);

// The first byte at or after `p` that a JSON string cannot hold as it is (a
// quote, a backslash, a control character, any byte >= 0x80), or `end`. The
// skim's inner loop; also how a writer knows a string needs no escaping.
const char* skip_plain(const char* p, const char* end);

// One member of an object's text, as slices of that text: `key` the key's
// literal as written (quotes and escapes included), `value` the value's text
// (no whitespace around it).
struct JsonMemberText {
  std::string_view key;
  std::string_view value;
};

// The top-level members of a JSON object text, in order, with the same
// strictness as skim_json_keeping: nullopt for anything nlohmann rejects,
// for a text that is not an object, and for what the skim declines (a
// byte-order mark, a number that underflows a double). Nothing is decoded
// or copied: for callers that compare and copy member values as text
// (realtime/batch_frame.h: a thousand records of one trigger, whose equal
// values are equal texts).
std::optional<std::vector<JsonMemberText>> skim_json_members(std::string_view text);

}  // namespace opz
