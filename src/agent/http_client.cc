#include "agent/http_client.h"

namespace opz::agent {

HttpClient::HttpClient(ServerUrl server, HttpClientOptions options)
    : server_(std::move(server)), options_(std::move(options)) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpConnection> HttpClient::take_idle() {
  std::lock_guard lock(mu_);
  while (!idle_.empty()) {
    std::unique_ptr<HttpConnection> conn = std::move(idle_.back());
    idle_.pop_back();
    if (!conn->closed_while_idle()) return conn;
  }
  return nullptr;
}

void HttpClient::give_back(std::unique_ptr<HttpConnection> conn) {
  std::lock_guard lock(mu_);
  if (idle_.size() < options_.max_idle_connections) idle_.push_back(std::move(conn));
}

Result<std::unique_ptr<HttpConnection>> HttpClient::connect(Deadline deadline) {
  std::shared_ptr<TlsClientContext> tls;
  if (server_.tls) {
    std::lock_guard lock(mu_);
    if (!tls_) {
      OPZ_TRY(tls_, TlsClientContext::create(options_.ca_file));
    }
    tls = tls_;
  }
  OPZ_TRY(auto conn, HttpConnection::open(server_, tls.get(), options_.connect_timeout, deadline));
  ++opened_;
  return conn;
}

Result<HttpResponse> HttpClient::exchange(HttpConnection& conn, const std::string& request,
                                          HttpResponseParser& parser, Deadline deadline) {
  OPZ_TRY_STATUS(conn.write_all(request, deadline));
  char buf[16384];
  while (!parser.done()) {
    OPZ_TRY(size_t n, conn.read_some(buf, sizeof buf, deadline));
    if (n == 0) {
      OPZ_TRY_STATUS(parser.finish());
    } else {
      OPZ_TRY_STATUS(parser.feed(std::string_view(buf, n)));
    }
  }
  return parser.take_response();
}

Result<HttpResponse> HttpClient::post(std::string_view path, std::string_view body,
                                      std::string_view token, std::chrono::milliseconds timeout) {
  const Deadline deadline = std::chrono::steady_clock::now() + timeout;
  const std::string target = server_.base_path + std::string(path);
  std::string request;
  request.reserve(256 + body.size());
  request.append("POST ").append(target).append(" HTTP/1.1\r\nHost: ");
  request.append(server_.host_header).append("\r\nContent-Type: application/json\r\n");
  request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  if (!token.empty()) request.append("Authorization: Bearer ").append(token).append("\r\n");
  request.append("Connection: keep-alive\r\n\r\n").append(body);
  auto failed = [&](const Error& e) {
    Error out = e;
    out.message = "POST " + server_.text() + std::string(path) + ": " + e.message;
    return out;
  };
  for (int attempt = 0; attempt < 2; ++attempt) {
    // The second attempt is only ever on a new connection.
    std::unique_ptr<HttpConnection> conn = attempt == 0 ? take_idle() : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      auto opened = connect(deadline);
      if (!opened) return failed(opened.error());
      conn = std::move(*opened);
    }
    HttpResponseParser parser(options_.limits);
    auto answer = exchange(*conn, request, parser, deadline);
    if (answer) {
      if (answer->keep_alive) give_back(std::move(conn));
      return answer;
    }
    const bool expired = std::chrono::steady_clock::now() >= deadline;
    if (!reused || parser.started() || expired) return failed(answer.error());
  }
  return Error::internal("unreachable");
}

}  // namespace opz::agent
