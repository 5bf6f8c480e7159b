// KeepAliveServer: a small HTTP/1.1 server on 127.0.0.1 (port 0) for the
// agent's HTTP client tests. Unlike FakeHttpServer it keeps connections open
// and answers several requests on one, a thread per connection, and can
// misbehave on purpose: drop every request after a connection's first (as a
// server that timed the idle connection out would) or never answer. It
// records each request (the raw head and the body) and counts connections.
// Stopped and joined in the destructor.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace opz::agent::testing {

struct SeenRequest {
  std::string head;  // request line and headers, CRLFs included
  std::string body;
};

class KeepAliveServer {
 public:
  enum class Mode {
    kAnswer,             // answer every request
    kOnlyFirstPerConn,   // answer a connection's first request; close on the next unanswered
    kNeverAnswer,        // read requests, never answer
  };
  // The raw response (status line, headers, body) to a request; "" closes
  // the connection without one.
  using Handler = std::function<std::string(const SeenRequest&)>;

  explicit KeepAliveServer(Handler handler, Mode mode = Mode::kAnswer)
      : handler_(std::move(handler)), mode_(mode) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("KeepAliveServer: cannot listen");
    port_ = ntohs(a.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  ~KeepAliveServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    accept_thread_.join();
    {
      std::lock_guard lock(mu_);
      for (int fd : conn_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& t : conn_threads_) t.join();
    for (int fd : conn_fds_) ::close(fd);
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  std::vector<SeenRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

  static std::string json_response(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;  // shut down
      ++connections_;
      std::lock_guard lock(mu_);
      conn_fds_.push_back(fd);
      conn_threads_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // Reads one request (head + Content-Length body); false when the peer
  // closed or the server stops.
  bool read_request(int fd, std::string& pending, SeenRequest& out) {
    char buf[8192];
    while (true) {
      size_t end = pending.find("\r\n\r\n");
      if (end != std::string::npos) {
        out.head = pending.substr(0, end + 4);
        size_t length = 0;
        size_t at = out.head.find("Content-Length: ");
        if (at != std::string::npos) length = std::strtoul(out.head.c_str() + at + 16, nullptr, 10);
        if (pending.size() >= end + 4 + length) {
          out.body = pending.substr(end + 4, length);
          pending.erase(0, end + 4 + length);
          return true;
        }
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      pending.append(buf, static_cast<size_t>(n));
    }
  }

  void serve(int fd) {
    std::string pending;
    for (int served = 0; !stopping_; ++served) {
      SeenRequest request;
      if (!read_request(fd, pending, request)) return;
      {
        std::lock_guard lock(mu_);
        requests_.push_back(request);
      }
      if (mode_ == Mode::kNeverAnswer) continue;
      if (mode_ == Mode::kOnlyFirstPerConn && served > 0) {
        ::shutdown(fd, SHUT_RDWR);  // closed with the request unanswered
        return;
      }
      std::string answer = handler_(request);
      if (answer.empty()) {  // the handler's way to close without an answer
        ::shutdown(fd, SHUT_RDWR);
        return;
      }
      if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) return;
    }
  }

  Handler handler_;
  Mode mode_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<SeenRequest> requests_;
  std::vector<int> conn_fds_;
  std::vector<std::thread> conn_threads_;
  std::thread accept_thread_;
};

}  // namespace opz::agent::testing
