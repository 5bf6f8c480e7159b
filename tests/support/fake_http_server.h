// FakeHttpServer: a tiny blocking HTTP/1.1 server on 127.0.0.1 (port 0, so
// the kernel picks a free one) that stands in for a remote peer — a fake
// GitHub API, a fake webhook receiver — in tests.
//
// It records every request (method, target, path, query, headers, body) and
// answers with canned responses: queued ones first (FIFO), then the handler
// if one is set, else 404. One connection at a time, one request per
// connection ("Connection: close"); request bodies by Content-Length or
// chunked encoding. The server thread starts in the constructor and is
// stopped and joined in the destructor. All public methods are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace opz::testing {

struct RecordedRequest {
  std::string method;
  std::string target;                          // as sent: "/repos/a/b/actions/runs?per_page=5"
  std::string path;                            // target up to '?'
  std::string query;                           // after '?', undecoded; "" when none
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_name) const;
};

struct CannedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Wait this long before answering (to test client timeouts); bounded use only.
  std::chrono::milliseconds delay{0};

  static CannedResponse json(int status, std::string body);
};

class FakeHttpServer {
 public:
  using Handler = std::function<CannedResponse(const RecordedRequest&)>;

  FakeHttpServer();  // binds 127.0.0.1:0 and starts serving; throws on failure
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  void enqueue(CannedResponse response);
  void set_handler(Handler handler);

  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;
  // The last recorded request; a default one when none arrived.
  RecordedRequest last_request() const;

 private:
  void serve();
  void handle_connection(int fd);
  CannedResponse respond_to(const RecordedRequest& request);

  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::deque<CannedResponse> queue_;
  Handler handler_;
  std::vector<RecordedRequest> requests_;
  std::thread thread_;
};

}  // namespace opz::testing
