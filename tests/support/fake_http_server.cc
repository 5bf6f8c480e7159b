#include "support/fake_http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace opz::testing {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;
constexpr size_t kMaxBodyBytes = 32 * 1024 * 1024;
constexpr int kReadTimeoutMs = 5000;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

// Buffered reads from a connected socket, each bounded by kReadTimeoutMs.
class SocketReader {
 public:
  explicit SocketReader(int fd) : fd_(fd) {}

  bool fill() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, kReadTimeoutMs) <= 0) return false;
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  // Reads through the next "\r\n"; answers the line without it.
  bool line(std::string& out, size_t limit) {
    while (true) {
      size_t eol = buffer_.find("\r\n");
      if (eol != std::string::npos) {
        out = buffer_.substr(0, eol);
        buffer_.erase(0, eol + 2);
        return true;
      }
      if (buffer_.size() > limit || !fill()) return false;
    }
  }
  bool exactly(size_t n, std::string& out) {
    while (buffer_.size() < n) {
      if (!fill()) return false;
    }
    out.append(buffer_, 0, n);
    buffer_.erase(0, n);
    return true;
  }

 private:
  int fd_;
  std::string buffer_;
};

bool send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool read_chunked(SocketReader& reader, std::string& body) {
  while (true) {
    std::string size_line;
    if (!reader.line(size_line, kMaxHeaderBytes)) return false;
    size_t size = std::strtoul(size_line.c_str(), nullptr, 16);
    if (size == 0) {
      std::string trailer;
      do {
        if (!reader.line(trailer, kMaxHeaderBytes)) return false;
      } while (!trailer.empty());
      return true;
    }
    if (body.size() + size > kMaxBodyBytes) return false;
    std::string crlf;
    if (!reader.exactly(size, body) || !reader.exactly(2, crlf)) return false;
  }
}

}  // namespace

std::string RecordedRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

CannedResponse CannedResponse::json(int status, std::string body) {
  CannedResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

FakeHttpServer::FakeHttpServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::pipe2(wake_pipe_, O_CLOEXEC) != 0) {
    std::string why = std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error("fake http server: " + why);
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeHttpServer::~FakeHttpServer() {
  stopping_ = true;
  char b = 'x';
  [[maybe_unused]] ssize_t n = ::write(wake_pipe_[1], &b, 1);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

std::string FakeHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeHttpServer::enqueue(CannedResponse response) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(response));
}

void FakeHttpServer::set_handler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<RecordedRequest> FakeHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t FakeHttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

RecordedRequest FakeHttpServer::last_request() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.empty() ? RecordedRequest{} : requests_.back();
}

void FakeHttpServer::serve() {
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0 || stopping_) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handle_connection(fd);
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }
}

CannedResponse FakeHttpServer::respond_to(const RecordedRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      CannedResponse r = std::move(queue_.front());
      queue_.pop_front();
      return r;
    }
    handler = handler_;
  }
  if (handler) return handler(request);  // outside the lock: it may call back into us
  return CannedResponse::json(404,
                              R"({"message":"Not Found: the fake server has no answer queued"})");
}

void FakeHttpServer::handle_connection(int fd) {
  SocketReader reader(fd);
  RecordedRequest req;
  std::string request_line;
  if (!reader.line(request_line, kMaxHeaderBytes)) return;
  size_t sp1 = request_line.find(' ');
  size_t sp2 = request_line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return;
  req.method = request_line.substr(0, sp1);
  req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string::npos ? "" : req.target.substr(q + 1);

  size_t header_bytes = 0;
  while (true) {
    std::string line;
    if (!reader.line(line, kMaxHeaderBytes)) return;
    if (line.empty()) break;
    header_bytes += line.size();
    if (header_bytes > kMaxHeaderBytes) return;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    req.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  if (lower(req.header("expect")) == "100-continue" &&
      !send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n")) {
    return;
  }
  if (lower(req.header("transfer-encoding")).find("chunked") != std::string::npos) {
    if (!read_chunked(reader, req.body)) return;
  } else if (!req.header("content-length").empty()) {
    size_t length = std::strtoul(req.header("content-length").c_str(), nullptr, 10);
    if (length > kMaxBodyBytes || !reader.exactly(length, req.body)) return;
  }

  CannedResponse response = respond_to(req);
  if (response.delay.count() > 0) {
    // Wait, but wake up at once when the server is being destroyed.
    pollfd p{wake_pipe_[0], POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(response.delay.count()));
    if (stopping_) return;
  }
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + reason_phrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  if (response.status != 204 && response.status != 304) {
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  out += "Connection: close\r\n\r\n";
  if (response.status != 204 && response.status != 304) out += response.body;
  send_all(fd, out);
}

}  // namespace opz::testing
