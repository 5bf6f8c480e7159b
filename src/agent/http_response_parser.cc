#include "agent/http_response_parser.h"
#include "core/ascii.h"

#include <algorithm>
#include <cctype>

namespace opz::agent {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 token characters (header names).
bool is_token_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Whether the comma-separated list `value` names `token` (case-insensitive).
bool list_has(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (ascii_lower(trim(value.substr(0, comma))) == token) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// A decimal Content-Length; nullopt for anything but digits or on overflow.
std::optional<size_t> parse_length(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  size_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  return n;
}

constexpr size_t kMaxChunkLine = 4096;

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n == name) return std::string_view(v);
  return std::nullopt;
}

HttpResponseParser::HttpResponseParser(HttpResponseLimits limits) : limits_(limits) {}

Status HttpResponseParser::fail(std::string what) {
  state_ = State::kFailed;
  return Error::validation("malformed HTTP response: " + what, "http response");
}

Status HttpResponseParser::feed(std::string_view bytes) {
  if (state_ == State::kFailed) return fail("bytes after an error");
  if (bytes.empty()) return ok_status();
  if (state_ == State::kDone) return fail("bytes after the end of the response");
  started_ = true;
  if (state_ == State::kUntilClose) return append_body(bytes);
  if (state_ == State::kBody || state_ == State::kChunkData) {
    // The common case: body bytes go straight to the body, not via buffer_.
    if (pos_ == buffer_.size()) {
      buffer_.clear();
      pos_ = 0;
      size_t take = std::min(remaining_, bytes.size());
      OPZ_TRY_STATUS(append_body(bytes.substr(0, take)));
      remaining_ -= take;
      bytes.remove_prefix(take);
      if (remaining_ == 0) state_ = state_ == State::kBody ? State::kDone : State::kChunkDataEnd;
      if (bytes.empty()) return state_ == State::kDone ? ok_status() : step();
      if (state_ == State::kDone) return fail("bytes after the end of the response");
    }
  }
  buffer_.append(bytes);
  return step();
}

Status HttpResponseParser::finish() {
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
    return ok_status();
  }
  if (state_ == State::kDone) return ok_status();
  if (state_ == State::kFailed) return fail("closed after an error");
  if (!started_) return fail("the connection closed before any answer");
  return fail("the connection closed before the end of the response");
}

Result<std::optional<std::string_view>> HttpResponseParser::next_line() {
  size_t lf = buffer_.find('\n', pos_);
  size_t available = (lf == std::string::npos ? buffer_.size() : lf + 1) - pos_;
  // A chunk-size line is limited alone (a long body has many of them); the
  // status line, headers and trailers together.
  const bool chunk_line = state_ == State::kChunkSize;
  if (chunk_line ? available > kMaxChunkLine : header_bytes_ + available > limits_.max_header_bytes)
    return fail(chunk_line
                    ? "a chunk-size line exceeds " + std::to_string(kMaxChunkLine) + " bytes"
                    : "the headers exceed " + std::to_string(limits_.max_header_bytes) + " bytes")
        .error();
  if (lf == std::string::npos) return std::optional<std::string_view>();
  if (!chunk_line) header_bytes_ += available;
  std::string_view line(buffer_.data() + pos_, lf - pos_);
  pos_ = lf + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos)
    return fail("a control character inside a header line").error();
  return std::optional<std::string_view>(line);
}

Status HttpResponseParser::on_status_line(std::string_view line) {
  // HTTP/1.x SP 3DIGIT SP reason (the reason may be empty, its SP too).
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') ||
      line[8] != ' ')
    return fail("bad status line '" + std::string(line.substr(0, 64)) + "'");
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9')
      return fail("bad status code in '" + std::string(line.substr(0, 64)) + "'");
    status = status * 10 + (line[i] - '0');
  }
  if (status < 100 || status > 599 || (line.size() > 12 && line[12] != ' '))
    return fail("bad status code in '" + std::string(line.substr(0, 64)) + "'");
  http10_ = line[7] == '0';
  response_ = HttpResponse{};
  response_.status = status;
  connection_close_ = connection_keep_alive_ = chunked_ = false;
  content_length_.reset();
  state_ = State::kHeaders;
  return ok_status();
}

Status HttpResponseParser::on_header_line(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t')
    return fail("a folded header line (obsolete line folding)");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return fail("a header line without a name");
  std::string_view name = line.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), is_token_char))
    return fail("bad header name '" + std::string(name.substr(0, 64)) + "'");
  std::string key = ascii_lower(name);
  std::string_view value = trim(line.substr(colon + 1));
  if (key == "content-length") {
    // A repeated header, or a list of values, must all say the same.
    std::string_view rest = value;
    while (true) {
      size_t comma = rest.find(',');
      std::optional<size_t> n = parse_length(trim(rest.substr(0, comma)));
      if (!n) return fail("bad Content-Length '" + std::string(value.substr(0, 64)) + "'");
      if (content_length_ && *content_length_ != *n)
        return fail("conflicting Content-Length values");
      content_length_ = n;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  } else if (key == "transfer-encoding") {
    // Only "chunked" is understood, and it must come last (RFC 9112 6.1).
    std::string_view last =
        value.substr(value.rfind(',') == std::string_view::npos ? 0 : value.rfind(',') + 1);
    if (ascii_lower(trim(last)) != "chunked")
      return fail("unsupported Transfer-Encoding '" + std::string(value.substr(0, 64)) + "'");
    chunked_ = true;
  } else if (key == "connection") {
    if (list_has(value, "close")) connection_close_ = true;
    if (list_has(value, "keep-alive")) connection_keep_alive_ = true;
  }
  response_.headers.emplace_back(std::move(key), std::string(value));
  return ok_status();
}

Status HttpResponseParser::on_headers_end() {
  const int status = response_.status;
  if (status >= 100 && status < 200) {
    // An interim answer (100 Continue, 103 Early Hints): the real one follows.
    state_ = State::kStatusLine;
    return ok_status();
  }
  response_.keep_alive =
      http10_ ? connection_keep_alive_ && !connection_close_ : !connection_close_;
  if (status == 204 || status == 304) {
    state_ = State::kDone;
  } else if (chunked_) {
    // Transfer-Encoding wins over a Content-Length sent with it (RFC 9112
    // 6.3); such a message may have been smuggled, so the connection ends.
    if (content_length_) response_.keep_alive = false;
    state_ = State::kChunkSize;
  } else if (content_length_) {
    if (*content_length_ > limits_.max_body_bytes)
      return fail("the body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
    response_.body.reserve(*content_length_);
    remaining_ = *content_length_;
    state_ = remaining_ == 0 ? State::kDone : State::kBody;
  } else {
    response_.keep_alive = false;
    state_ = State::kUntilClose;
  }
  return ok_status();
}

Status HttpResponseParser::on_chunk_size_line(std::string_view line) {
  // chunk-size [ ; ext ... ] — extensions are ignored.
  std::string_view size = trim(line.substr(0, line.find(';')));
  if (size.empty() || size.size() > 15)
    return fail("bad chunk size '" + std::string(line.substr(0, 64)) + "'");
  size_t n = 0;
  for (char c : size) {
    int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                            : -1;
    if (digit < 0) return fail("bad chunk size '" + std::string(line.substr(0, 64)) + "'");
    n = n * 16 + static_cast<size_t>(digit);
  }
  if (n > limits_.max_body_bytes - response_.body.size())
    return fail("the body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
  remaining_ = n;
  state_ = n == 0 ? State::kTrailers : State::kChunkData;
  return ok_status();
}

Status HttpResponseParser::append_body(std::string_view bytes) {
  if (bytes.size() > limits_.max_body_bytes - response_.body.size())
    return fail("the body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
  response_.body.append(bytes);
  return ok_status();
}

Status HttpResponseParser::step() {
  while (true) {
    switch (state_) {
      case State::kStatusLine:
      case State::kHeaders:
      case State::kChunkSize:
      case State::kTrailers: {
        OPZ_TRY(std::optional<std::string_view> line, next_line());
        if (!line) return ok_status();
        if (state_ == State::kStatusLine) {
          // Line breaks before the status line are tolerated (RFC 9112 2.2).
          if (!line->empty()) OPZ_TRY_STATUS(on_status_line(*line));
        } else if (state_ == State::kHeaders) {
          OPZ_TRY_STATUS(line->empty() ? on_headers_end() : on_header_line(*line));
        } else if (state_ == State::kChunkSize) {
          OPZ_TRY_STATUS(on_chunk_size_line(*line));
        } else if (line->empty()) {
          state_ = State::kDone;  // the end of the trailers
        }
        break;
      }
      case State::kBody:
      case State::kChunkData: {
        size_t take = std::min(remaining_, buffer_.size() - pos_);
        if (take == 0) return ok_status();
        OPZ_TRY_STATUS(append_body(std::string_view(buffer_).substr(pos_, take)));
        pos_ += take;
        remaining_ -= take;
        if (remaining_ > 0) return ok_status();
        state_ = state_ == State::kBody ? State::kDone : State::kChunkDataEnd;
        break;
      }
      case State::kChunkDataEnd: {
        std::string_view rest = std::string_view(buffer_).substr(pos_);
        if (rest.empty() || (rest == "\r")) return ok_status();
        if (rest.substr(0, 2) == "\r\n") {
          pos_ += 2;
        } else if (rest.front() == '\n') {
          pos_ += 1;
        } else {
          return fail("no line break after a chunk's data");
        }
        state_ = State::kChunkSize;
        break;
      }
      case State::kUntilClose: {
        Status s = append_body(std::string_view(buffer_).substr(pos_));
        buffer_.clear();
        pos_ = 0;
        return s;
      }
      case State::kDone:
        if (pos_ != buffer_.size()) return fail("bytes after the end of the response");
        buffer_.clear();
        pos_ = 0;
        return ok_status();
      case State::kFailed:
        return fail("bytes after an error");
    }
    // Drop what was consumed now and then, so buffer_ stays small.
    if (pos_ > 4096 && pos_ * 2 > buffer_.size()) {
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
  }
}

}  // namespace opz::agent
