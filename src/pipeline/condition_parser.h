// The `if:` expression grammar, parsed into a Condition with column-precise
// errors. Kept deliberately small:
//
//   condition  := any
//   any        := all ( "||" all )*
//   all        := primary ( "&&" primary )*           && binds tighter than ||
//   primary    := "(" any ")" | comparison              at most 16 levels of ( )
//   comparison := subject op pattern
//   subject    := "branch" | "tag" | "environment"
//   op         := "==" | "!=" | "=~" | "!~"           =~ and !~ match a glob
//   pattern    := "'" chars "'" | '"' chars '"'        no escapes; <= 256 chars
//
// Whitespace between tokens is ignored. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "pipeline/condition.h"

namespace opz::pipeline {

// On failure: kValidation with a message "invalid condition at column 8:
// expected ==, !=, =~ or !~" (column 1-based, counted in bytes) and, when
// `error_offset` is given, the 0-based byte offset of the problem in `text`.
Result<Condition> parse_condition(std::string_view text, size_t* error_offset = nullptr);

// "branch" / "tag" / "environment".
std::optional<ConditionSubject> condition_subject_from_string(std::string_view name);

// Why `pattern` cannot be used with `op` (too long, control characters, both
// quote characters, a bad glob for =~ / !~), or an empty string when it can.
std::string pattern_problem(ConditionOp op, std::string_view pattern);

}  // namespace opz::pipeline
