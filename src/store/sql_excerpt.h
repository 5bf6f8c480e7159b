// The start of a statement, for error messages that say which statement
// failed: leading blanks skipped, line breaks and tabs made spaces, at most
// 80 characters, "..." when cut: enough to find the statement, never a
// parameter's value (values are bound, not spliced into the text). Both
// sessions (SQLite, PostgreSQL) use it.
#pragma once

#include <string>
#include <string_view>

namespace opz::store {

std::string sql_excerpt(std::string_view sql);

}  // namespace opz::store
