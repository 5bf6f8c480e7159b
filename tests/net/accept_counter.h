// AcceptCounter: a listener on 127.0.0.1 (kernel-chosen port) that counts the
// connections it accepts and answers each with "200 ok". It proves what a
// guard refused was never connected to (count 0). Test-only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace opz::net::testing {

class AcceptCounter {
 public:
  AcceptCounter() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("AcceptCounter: cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~AcceptCounter() {
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(fd_);
  }
  AcceptCounter(const AcceptCounter&) = delete;
  AcceptCounter& operator=(const AcceptCounter&) = delete;

  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  std::string last_host_header() const {
    std::lock_guard lock(mu_);
    return host_;
  }

 private:
  void serve() {
    for (;;) {
      int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      ++accepted_;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(client, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      if (auto at = request.find("\r\nHost: "); at != std::string::npos) {
        std::lock_guard lock(mu_);
        host_ = request.substr(at + 8, request.find("\r\n", at + 8) - at - 8);
      }
      static constexpr char kAnswer[] =
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
      (void)!::write(client, kAnswer, sizeof kAnswer - 1);
      ::close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  mutable std::mutex mu_;
  std::string host_;
  std::thread thread_;
};

}  // namespace opz::net::testing
