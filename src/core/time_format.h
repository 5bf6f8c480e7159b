// UTC timestamps as text: the one format stored in the database and sent over
// the API, "2024-01-15T10:30:00.123Z" (millisecond precision, always 'Z').
// Lexicographic order equals time order, which the store relies on.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace opz {

std::string format_time(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)" and "YYYY-MM-DD".
Result<TimePoint> parse_time(std::string_view text);
int64_t to_unix_millis(TimePoint t);
TimePoint from_unix_millis(int64_t ms);

}  // namespace opz
