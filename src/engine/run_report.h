// RunReport: the text `opzenix run` prints — one line per finished node
// ("[ 12/200] ok    build (0.4s)") and short durations. Pure; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opz::engine {

// "ok", "FAIL", "skip", "cancel", "retry" (a failed attempt that will be
// retried), "wait" (approval), or the status itself.
std::string_view status_word(std::string_view new_state, std::string_view old_state);

// "0.4s", "12.3s", "2m05s", "1h02m".
std::string short_duration(std::chrono::milliseconds d);

// "[ 12/200] ok    build (0.4s)": `done` right-aligned to the width of `total`;
// the duration is left out when unknown. `detail` (an error) follows after " - ".
std::string progress_line(size_t done, size_t total, std::string_view word,
                          std::string_view node_id, std::optional<int64_t> duration_ms,
                          std::string_view detail = {});

}  // namespace opz::engine
