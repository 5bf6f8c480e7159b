// HttpResponseParser: one HTTP/1.x response read from bytes as they arrive,
// with no I/O of its own (the agent's HTTP client feeds it what it reads; the
// fuzz target feeds it anything). It takes the status line, the headers and
// the body framed by Content-Length, by `Transfer-Encoding: chunked` (chunk
// extensions skipped, trailers read and dropped) or, with neither, by the
// peer closing the connection. 1xx answers are skipped; 204 and 304 have no
// body.
//
// Limits: the status line, headers and trailers together ≤ 64 KiB, the body
// ≤ 64 MiB (HttpResponseLimits). Whatever breaks the grammar or a limit is an
// Error::validation naming what was wrong, field "http response"; after an
// error the parser takes no more bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace opz::agent {

struct HttpResponseLimits {
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 64 * 1024 * 1024;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  // Whether the connection may carry another request: HTTP/1.1 without
  // `Connection: close`, HTTP/1.0 with `Connection: keep-alive`, and a body
  // that was not framed by the close.
  bool keep_alive = false;

  // The first header of that (lower-case) name, if any.
  std::optional<std::string_view> header(std::string_view name) const;
};

class HttpResponseParser {
 public:
  explicit HttpResponseParser(HttpResponseLimits limits = {});

  // Takes the next bytes. Bytes after a complete response are an error (the
  // client sends one request at a time and never pipelines).
  Status feed(std::string_view bytes);
  // The peer closed the connection: completes a body read until close; any
  // other unfinished response is an error.
  Status finish();

  bool done() const { return state_ == State::kDone; }
  // Whether any byte of the answer arrived (a reused connection found closed
  // before that may be retried on a new one).
  bool started() const { return started_; }
  const HttpResponse& response() const { return response_; }
  HttpResponse take_response() { return std::move(response_); }

 private:
  enum class State {
    kStatusLine,
    kHeaders,
    kBody,           // Content-Length bytes left in remaining_
    kUntilClose,
    kChunkSize,
    kChunkData,      // remaining_ bytes of the chunk, then its CRLF
    kChunkDataEnd,   // the CRLF after a chunk's data
    kTrailers,
    kDone,
    kFailed,
  };

  Status fail(std::string what);
  // The next line in buffer_ from pos_ (CRLF or LF ended, without it), or
  // nullopt when it has not fully arrived; checks the header limits.
  Result<std::optional<std::string_view>> next_line();
  Status on_status_line(std::string_view line);
  Status on_header_line(std::string_view line);
  Status on_headers_end();
  Status on_chunk_size_line(std::string_view line);
  Status append_body(std::string_view bytes);
  Status step();  // advances as far as buffer_ allows

  HttpResponseLimits limits_;
  State state_ = State::kStatusLine;
  bool started_ = false;
  std::string buffer_;  // bytes not yet consumed
  size_t pos_ = 0;      // consumed prefix of buffer_
  size_t header_bytes_ = 0;
  size_t remaining_ = 0;
  bool http10_ = false;
  bool connection_close_ = false;
  bool connection_keep_alive_ = false;
  std::optional<size_t> content_length_;
  bool chunked_ = false;
  HttpResponse response_;
};

}  // namespace opz::agent
