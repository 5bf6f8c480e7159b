// Human quantities in configuration and pipelines: durations ("500ms", "2s",
// "5m", "1h30m", a bare number means seconds) and sizes ("10MiB", "25MB",
// "512k", a bare number means bytes).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace opz {

Result<std::chrono::milliseconds> parse_duration(std::string_view text);
Result<uint64_t> parse_size(std::string_view text);
std::string format_duration(std::chrono::milliseconds d);  // "1m30s", "250ms"

}  // namespace opz
