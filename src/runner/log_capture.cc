#include "runner/log_capture.h"

#include <string>
#include <utility>

namespace opz::runner {
namespace {

std::string limit_marker(uint64_t cap_bytes) {
  return "[opzenix] log limit of " + std::to_string(cap_bytes) +
         " bytes reached; further output of this step is dropped";
}

}  // namespace

void LogCapture::append(Stream stream, std::string_view bytes, TimePoint at) {
  if (truncated_) {
    dropped_bytes_ += bytes.size();
    return;
  }
  // A piece of an over-long line accounts for exactly its own bytes; a
  // terminated line also for its newline.
  splitter(stream).feed(bytes, [&](std::string_view raw, size_t consumed) {
    keep_or_drop(stream, raw, consumed, at, consumed == raw.size());
  });
}

void LogCapture::finish(TimePoint at) {
  for (Stream stream : {Stream::kStdout, Stream::kStderr}) {
    splitter(stream).finish(
        [&](std::string_view raw, size_t consumed) {
          keep_or_drop(stream, raw, consumed, at, false);
        });
  }
}

std::vector<LogLine> LogCapture::take_lines() { return std::exchange(lines_, {}); }

void LogCapture::keep_or_drop(Stream stream, std::string_view raw, size_t consumed, TimePoint at,
                              bool continues) {
  if (truncated_) {
    dropped_bytes_ += consumed;
    return;
  }
  if (log_bytes_ + consumed > cap_bytes_) {
    truncated_ = true;
    dropped_bytes_ += consumed;
    // What the splitters still buffer reaches this function later (rest of the
    // current chunk, finish()) and is counted as dropped then.
    lines_.push_back(LogLine{at, Stream::kStderr, limit_marker(cap_bytes_)});
    return;
  }
  log_bytes_ += consumed;
  lines_.push_back(LogLine{at, stream, to_log_text(raw), continues});
}

}  // namespace opz::runner
