// LineSplitter: cuts one output stream's byte chunks into raw lines.
//
// Feed it chunks in the order they were read; it calls `on_line(raw, consumed)`
// for every complete line, where `raw` is the line without its "\n" (and
// without the CR of a CRLF) and `consumed` is the number of stream bytes the
// line accounts for (newline included). A line longer than kMaxLogLineBytes is
// delivered in pieces of at most that size, cut at a UTF-8 character boundary
// where possible, so the buffered remainder never exceeds kMaxLogLineBytes.
// `raw` is only valid during the call. finish() delivers a final unterminated
// line at end of stream. Not thread-safe (one per stream, owned by one thread).
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "runner/log_line.h"
#include "runner/log_text.h"

namespace opz::runner {

class LineSplitter {
 public:
  template <typename OnLine>
  void feed(std::string_view data, OnLine&& on_line) {
    while (!data.empty()) {
      const size_t room = kMaxLogLineBytes - pending_.size();
      // A newline right after `room` bytes still ends a line of exactly the maximum size.
      const size_t scan = data.size() < room + 1 ? data.size() : room + 1;
      const void* nl = std::memchr(data.data(), '\n', scan);
      if (nl != nullptr) {
        const size_t len = static_cast<const char*>(nl) - data.data();
        if (pending_.empty()) {
          emit_terminated(data.substr(0, len), len + 1, on_line);
        } else {
          pending_.append(data.data(), len);
          const size_t consumed = pending_.size() + 1;
          emit_terminated(pending_, consumed, on_line);
          pending_.clear();
        }
        data.remove_prefix(len + 1);
        continue;
      }
      if (data.size() < room) {
        pending_.append(data);
        return;
      }
      // The line reaches the maximum without a newline: deliver a piece.
      pending_.append(data.data(), room);
      data.remove_prefix(room);
      size_t cut = utf8_safe_cut(pending_);
      if (cut == 0) cut = pending_.size();
      on_line(std::string_view(pending_).substr(0, cut), cut);
      pending_.erase(0, cut);
    }
  }

  // End of stream: delivers the unterminated rest, if any.
  template <typename OnLine>
  void finish(OnLine&& on_line) {
    if (pending_.empty()) return;
    on_line(std::string_view(pending_), pending_.size());
    pending_.clear();
  }

  // Bytes received but not yet delivered as a line.
  size_t pending_bytes() const { return pending_.size(); }

 private:
  template <typename OnLine>
  static void emit_terminated(std::string_view line, size_t consumed, OnLine& on_line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    on_line(line, consumed);
  }

  std::string pending_;
};

}  // namespace opz::runner
