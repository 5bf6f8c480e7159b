// application/x-www-form-urlencoded (and URL query strings): percent
// decoding and key=value pairs. Used by request targets (http/target.h) and
// by GitHub's form-encoded webhook deliveries.
//
// Contract: a '%' not followed by two hex digits is kMalformed, and so is a
// decoded NUL byte anywhere. In forms, '+' means a space; a key without '='
// has the empty value; empty keys are skipped; when a key repeats, the last
// value wins. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace opz {

// Decodes %XX escapes; with `plus_is_space`, '+' becomes ' ' (forms, queries).
Result<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// "a=1&b=x%20y&c" -> {a:"1", b:"x y", c:""}.
Result<std::map<std::string, std::string>> parse_form(std::string_view form);

}  // namespace opz
