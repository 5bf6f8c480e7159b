// LogLine: one line of a process's output, as the runner reports it.
//
// Contract: `text` never contains the line's newline (nor the CR of a CRLF),
// never contains NUL, and is always valid UTF-8 (invalid bytes were replaced by
// U+FFFD). A raw line longer than kMaxLogLineBytes arrives as several LogLines;
// every piece but the last has `continues` set (the line goes on in the next
// LogLine of the same stream), so a consumer that must see whole lines (the
// engine's secret masking) can join them.
// Plain value type; no thread-safety concerns.
#pragma once

#include <cstddef>
#include <string>

#include "core/clock.h"

namespace opz::runner {

enum class Stream { kStdout, kStderr };

// Raw bytes (before sanitising) after which an unterminated line is split.
inline constexpr size_t kMaxLogLineBytes = 64 * 1024;

struct LogLine {
  TimePoint at;  // when the runner read the chunk that completed the line
  Stream stream = Stream::kStdout;
  std::string text;
  bool continues = false;
};

}  // namespace opz::runner
