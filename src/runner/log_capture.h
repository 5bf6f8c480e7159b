// LogCapture: one process's output turned into LogLines under a byte cap.
//
// The runner appends the chunks it reads from a process's stdout and stderr;
// LogCapture splits them into lines (LineSplitter), sanitises the text
// (to_log_text) and queues the lines until take_lines().
//
// Log cap contract: `log_bytes` counts the raw bytes (newlines included) of
// every line kept. The first line that would take log_bytes over the cap is
// dropped instead, the capture becomes truncated, and exactly one marker line
// (on kStderr, text starting "[opzenix] log limit") is queued. From then on
// every byte read is only counted in `dropped_bytes`, without being split or
// stored, so memory stays bounded however much a process prints. After
// finish(), log_bytes + dropped_bytes equals all bytes appended.
//
// Not thread-safe: owned by the runner's loop thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "runner/line_splitter.h"
#include "runner/log_line.h"

namespace opz::runner {

class LogCapture {
 public:
  explicit LogCapture(uint64_t cap_bytes) : cap_bytes_(cap_bytes) {}

  // Adds bytes read from `stream` at time `at`.
  void append(Stream stream, std::string_view bytes, TimePoint at);
  // End of both streams: delivers unterminated last lines.
  void finish(TimePoint at);

  // The lines completed since the last call, in the order they completed.
  std::vector<LogLine> take_lines();
  bool has_lines() const { return !lines_.empty(); }

  uint64_t log_bytes() const { return log_bytes_; }
  uint64_t dropped_bytes() const { return dropped_bytes_; }
  bool truncated() const { return truncated_; }

 private:
  void keep_or_drop(Stream stream, std::string_view raw, size_t consumed, TimePoint at,
                    bool continues);
  LineSplitter& splitter(Stream stream) { return stream == Stream::kStdout ? out_ : err_; }

  uint64_t cap_bytes_;
  uint64_t log_bytes_ = 0;
  uint64_t dropped_bytes_ = 0;
  bool truncated_ = false;
  LineSplitter out_;
  LineSplitter err_;
  std::vector<LogLine> lines_;
};

}  // namespace opz::runner
