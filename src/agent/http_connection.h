// HttpConnection: one TCP connection (TLS on top for https) from the agent
// to its server, non-blocking underneath, every call bounded by a deadline.
// Not thread-safe: one user at a time (HttpClient hands each request its own).
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "agent/http_server_url.h"
#include "agent/http_tls.h"
#include "core/result.h"

namespace opz::agent {

using Deadline = std::chrono::steady_clock::time_point;

class HttpConnection {
 public:
  // Resolves the host (getaddrinfo), connects to its addresses in turn, each
  // within `connect_timeout` and all before `deadline`; then the TLS
  // handshake when `tls` is given. Errors are Error::unavailable.
  static Result<std::unique_ptr<HttpConnection>> open(const ServerUrl& server,
                                                      TlsClientContext* tls,
                                                      std::chrono::milliseconds connect_timeout,
                                                      Deadline deadline);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  Status write_all(std::string_view bytes, Deadline deadline);
  // Some bytes into `buf`: how many, 0 when the peer closed.
  Result<size_t> read_some(char* buf, size_t size, Deadline deadline);
  // An idle connection that is readable was closed by the peer (or holds
  // bytes nobody asked for): either way it cannot carry a request.
  bool closed_while_idle() const;

 private:
  explicit HttpConnection(int fd) : fd_(fd) {}
  // Waits for `events` on the socket until `deadline`; false on timeout.
  Result<bool> wait(short events, Deadline deadline) const;
  Status handshake(Deadline deadline);

  int fd_;
  std::unique_ptr<TlsSession> tls_;
};

}  // namespace opz::agent
