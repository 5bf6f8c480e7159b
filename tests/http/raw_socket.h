// RawSocket: a blocking loopback TCP client for transport tests that need
// exact bytes on the wire (pipelining, malformed requests, HEAD framing).
// Every read has a 5 s timeout so a broken server fails the test instead of
// hanging it. Test-only; not thread-safe.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace opz::http::testing {

struct RawResponse {
  int status = 0;    // 0 when nothing parseable arrived
  std::string head;  // status line and headers, without the blank line
  std::string body;  // de-chunked when chunked
  bool has_header(std::string_view needle) const { return head.find(needle) != std::string::npos; }
};

class RawSocket {
 public:
  // `address` is "127.0.0.1:PORT".
  explicit RawSocket(const std::string& address) {
    const auto colon = address.rfind(':');
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response. `head_request`: the response has no body whatever
  // its headers say.
  RawResponse read_response(bool head_request = false) {
    RawResponse r;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return r;
    }
    r.head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    if (r.head.size() > 12 && r.head.compare(0, 5, "HTTP/") == 0) {
      r.status = std::stoi(r.head.substr(9, 3));
    }
    if (head_request || r.status == 204 || r.status == 304 || r.status / 100 == 1) return r;
    const std::string lower = to_lower(r.head);
    if (lower.find("transfer-encoding: chunked") != std::string::npos) {
      for (;;) {
        size_t eol;
        while ((eol = buf_.find("\r\n")) == std::string::npos) {
          if (!fill()) return r;
        }
        const size_t size = std::stoul(buf_.substr(0, eol), nullptr, 16);
        while (buf_.size() < eol + 2 + size + 2) {
          if (!fill()) return r;
        }
        r.body += buf_.substr(eol + 2, size);
        buf_.erase(0, eol + 2 + size + 2);
        if (size == 0) return r;
      }
    }
    const size_t cl = lower.find("content-length: ");
    if (cl != std::string::npos) {
      const size_t len = std::stoul(lower.substr(cl + 16));
      while (buf_.size() < len) {
        if (!fill()) return r;
      }
      r.body = buf_.substr(0, len);
      buf_.erase(0, len);
      return r;
    }
    while (fill()) {
    }
    r.body = std::move(buf_);
    buf_.clear();
    return r;
  }

  // Reads until what was received (and not yet parsed by read_response)
  // contains `needle`; false on EOF, error or the read timeout. What was read
  // stays for read_response.
  bool read_until(std::string_view needle) {
    while (buf_.find(needle) == std::string::npos) {
      if (!fill()) return false;
    }
    return true;
  }

  // True when the peer closed the connection (EOF) within the read timeout.
  bool closed_by_peer() {
    char c;
    for (;;) {
      const ssize_t n = ::recv(fd_, &c, 1, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      buf_.push_back(c);
    }
  }

 private:
  bool fill() {
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  static std::string to_lower(std::string s) {
    for (char& c : s) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    return s;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

}  // namespace opz::http::testing
