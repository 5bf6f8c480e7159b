#include "agent/http_connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace opz::agent {

namespace {

std::string errno_text(int e) { return std::strerror(e); }

int millis_until(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count(), 0, 24 * 3600 * 1000));
}

}  // namespace

Result<std::unique_ptr<HttpConnection>> HttpConnection::open(
    const ServerUrl& server, TlsClientContext* tls, std::chrono::milliseconds connect_timeout,
    Deadline deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (server.host_is_address ? AI_NUMERICHOST : 0);
  addrinfo* found = nullptr;
  // getaddrinfo has no timeout of its own; the resolver's (resolv.conf) applies.
  int rc = getaddrinfo(server.host.c_str(), std::to_string(server.port).c_str(), &hints, &found);
  if (rc != 0)
    return Error::unavailable("cannot resolve " + server.host + ": " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  std::string last_error = "no address";
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_error = errno_text(errno);
      continue;
    }
    std::unique_ptr<HttpConnection> conn(new HttpConnection(fd));
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        last_error = errno_text(errno);
        continue;
      }
      Deadline connect_by = std::min(deadline, std::chrono::steady_clock::now() + connect_timeout);
      OPZ_TRY(bool writable, conn->wait(POLLOUT, connect_by));
      if (!writable) {
        last_error = "connect timed out";
        continue;
      }
      int error = 0;
      socklen_t len = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
      if (error != 0) {
        last_error = errno_text(error);
        continue;
      }
    }
    if (tls) {
      OPZ_TRY(conn->tls_, tls->session(fd, server.host, server.host_is_address));
      OPZ_TRY_STATUS(conn->handshake(deadline));
    }
    return conn;
  }
  return Error::unavailable("cannot connect to " + server.host_header + ": " + last_error);
}

HttpConnection::~HttpConnection() {
  tls_.reset();  // before the socket it uses
  ::close(fd_);
}

Result<bool> HttpConnection::wait(short events, Deadline deadline) const {
  while (true) {
    pollfd p{fd_, events, 0};
    int n = ::poll(&p, 1, millis_until(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return Error::unavailable("poll: " + errno_text(errno));
  }
}

Status HttpConnection::handshake(Deadline deadline) {
  while (true) {
    TlsIo io = tls_->handshake();
    if (io.kind == TlsIo::kDone) return ok_status();
    if (io.kind == TlsIo::kClosed)
      return Error::unavailable("TLS handshake failed: the server closed the connection");
    if (io.kind == TlsIo::kError) return Error::unavailable(io.error);
    OPZ_TRY(bool ready, wait(io.kind == TlsIo::kWantRead ? POLLIN : POLLOUT, deadline));
    if (!ready) return Error::unavailable("TLS handshake timed out");
  }
}

Status HttpConnection::write_all(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty()) {
    short want = POLLOUT;
    size_t n = 0;
    if (tls_) {
      TlsIo io = tls_->write(bytes.data(), bytes.size());
      if (io.kind == TlsIo::kError) return Error::unavailable(io.error);
      if (io.kind == TlsIo::kClosed) return Error::unavailable("the server closed the connection");
      if (io.kind == TlsIo::kWantRead) want = POLLIN;
      n = io.kind == TlsIo::kDone ? io.bytes : 0;
    } else {
      ssize_t w = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (w < 0 && errno != EAGAIN && errno != EINTR)
        return Error::unavailable("send: " + errno_text(errno));
      n = w > 0 ? static_cast<size_t>(w) : 0;
    }
    bytes.remove_prefix(n);
    if (n == 0) {
      OPZ_TRY(bool ready, wait(want, deadline));
      if (!ready) return Error::unavailable("timed out sending the request");
    }
  }
  return ok_status();
}

Result<size_t> HttpConnection::read_some(char* buf, size_t size, Deadline deadline) {
  while (true) {
    short want = POLLIN;
    if (tls_) {
      TlsIo io = tls_->read(buf, size);
      if (io.kind == TlsIo::kDone) return io.bytes;
      if (io.kind == TlsIo::kClosed) return size_t{0};
      if (io.kind == TlsIo::kError) return Error::unavailable(io.error);
      if (io.kind == TlsIo::kWantWrite) want = POLLOUT;
    } else {
      ssize_t r = ::recv(fd_, buf, size, 0);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == ECONNRESET) return size_t{0};
      if (errno != EAGAIN && errno != EINTR) return Error::unavailable("recv: " + errno_text(errno));
    }
    OPZ_TRY(bool ready, wait(want, deadline));
    if (!ready) return Error::unavailable("timed out waiting for the answer");
  }
}

bool HttpConnection::closed_while_idle() const {
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

}  // namespace opz::agent
