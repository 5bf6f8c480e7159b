// GitDaemon: a real `git daemon` on 127.0.0.1 serving the repositories under
// a directory over git://, with --verbose logging to a file, so a test (or a
// benchmark) can count how many clones and fetches the remote served: every
// clone, fetch or ls-remote is one "Request upload-pack" line. Stops (SIGTERM,
// reaped) on destruction or stop(). Header-only: bench/ includes it too.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace opz::testing {

class GitDaemon {
 public:
  // Serves <base>/<name> as git://127.0.0.1:<port>/<name>; logs to `log`.
  GitDaemon(std::string base, std::string log) : base_(std::move(base)), log_(std::move(log)) {
    port_ = free_port();
    start();
  }
  ~GitDaemon() { stop(); }
  GitDaemon(const GitDaemon&) = delete;
  GitDaemon& operator=(const GitDaemon&) = delete;

  std::string url(const std::string& name) const {
    return "git://127.0.0.1:" + std::to_string(port_) + "/" + name;
  }
  int port() const { return port_; }

  // Clones and fetches served so far (each an upload-pack request).
  int requests() const {
    std::ifstream in(log_);
    int n = 0;
    for (std::string line; std::getline(in, line);)
      if (line.find("Request upload-pack") != std::string::npos) ++n;
    return n;
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ::close(fd);
      throw std::runtime_error("no free port");
    }
    ::close(fd);
    return ntohs(a.sin_port);
  }

  static bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
  }

  void start() {
    std::vector<std::string> args = {"git",
                                     "daemon",
                                     "--reuseaddr",
                                     "--verbose",
                                     "--export-all",
                                     "--log-destination=stderr",
                                     "--base-path=" + base_,
                                     "--listen=127.0.0.1",
                                     "--port=" + std::to_string(port_),
                                     base_};
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) ::dup2(fd, 2);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("git", argv.data());
      ::_exit(127);
    }
    // Ready when it accepts a connection (a real process starting: bounded).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!accepts(port_)) {
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("git daemon did not start on port " + std::to_string(port_));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  std::string base_;
  std::string log_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace opz::testing
