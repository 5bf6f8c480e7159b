// The agent's HTTP client over TLS against a real TLS endpoint: Debian's
// nginx with a self-signed certificate made by `openssl req` for the test,
// proxying to a plain server on loopback (keep_alive_server.h), its
// certificate for the name "localhost" (a DNS name; also an iPAddress
// 127.0.0.1, which mbedTLS 2.28 does not match). With the certificate as the
// CA file the request succeeds over one kept-alive connection; with the
// system store, or for a name the certificate does not carry, it fails
// saying the certificate was refused. Skipped where nginx is missing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "agent/http_client.h"
#include "agent/keep_alive_server.h"
#include "support/temp_dir.h"

namespace opz::agent {
namespace {

using std::chrono::milliseconds;
using testing::KeepAliveServer;
using testing::SeenRequest;

constexpr const char* kNginx = "/usr/sbin/nginx";

int unused_port() {
  KeepAliveServer probe([](const SeenRequest&) { return std::string(); });
  return probe.port();
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// nginx terminating TLS on 127.0.0.1:port() for the backend's port.
class TlsProxy {
 public:
  TlsProxy(const opz::testing::TempDir& dir, int backend_port) : port_(unused_port()) {
    const std::string d = dir.str();
    const std::string req =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
        " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
        d + "/key.pem -out " + d + "/cert.pem 2>" + d + "/openssl.log";
    if (std::system(req.c_str()) != 0) throw std::runtime_error("openssl req failed");
    std::ofstream(d + "/nginx.conf")
        << "daemon off;\nmaster_process off;\npid " << d << "/nginx.pid;\nerror_log " << d
        << "/error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n"
        << "  client_body_temp_path " << d << "/body;\n  proxy_temp_path " << d << "/proxy;\n"
        << "  fastcgi_temp_path " << d << "/fcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
        << "  scgi_temp_path " << d << "/scgi;\n  server {\n    listen 127.0.0.1:" << port_
        << " ssl;\n    ssl_certificate " << d << "/cert.pem;\n    ssl_certificate_key " << d
        << "/key.pem;\n    location / {\n      proxy_pass http://127.0.0.1:" << backend_port
        << ";\n      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n    }\n"
        << "  }\n}\n";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl(kNginx, kNginx, "-p", d.c_str(), "-e", (d + "/error.log").c_str(), "-c",
              (d + "/nginx.conf").c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 500 && !accepts(port_); ++i)
      std::this_thread::sleep_for(milliseconds(10));
    if (!accepts(port_)) throw std::runtime_error("nginx did not start; see " + d + "/error.log");
    ca_file_ = d + "/cert.pem";
  }
  ~TlsProxy() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  int port() const { return port_; }
  const std::string& ca_file() const { return ca_file_; }

 private:
  int port_;
  pid_t pid_ = -1;
  std::string ca_file_;
};

class HttpClientTls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kNginx)) GTEST_SKIP() << "nginx is not installed";
  }
};

HttpClient client_for(const std::string& url, const std::string& ca_file) {
  HttpClientOptions options;
  options.ca_file = ca_file;
  return HttpClient(*ServerUrl::parse(url), options);
}

std::string echo(const SeenRequest& r) { return KeepAliveServer::json_response(200, r.body); }

TEST_F(HttpClientTls, SucceedsWithTheCaFileOverOneKeptConnection) {
  opz::testing::TempDir dir;
  KeepAliveServer backend(echo);
  TlsProxy proxy(dir, backend.port());
  HttpClient client = client_for("https://localhost:" + std::to_string(proxy.port()), proxy.ca_file());
  for (int i = 0; i < 3; ++i) {
    const std::string body = "{\"tls\":" + std::to_string(i) + "}";
    auto answer = client.post("/api/v1/agents/heartbeat", body, "tok", milliseconds(10000));
    ASSERT_TRUE(answer.ok()) << answer.error().message;
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->body, body);
  }
  EXPECT_EQ(client.connections_opened(), 1u);
  ASSERT_EQ(backend.requests().size(), 3u);
  EXPECT_NE(backend.requests()[0].head.find("Authorization: Bearer tok"), std::string::npos);
}

TEST_F(HttpClientTls, RefusesACertificateThatDoesNotNameTheServer) {
  opz::testing::TempDir dir;
  KeepAliveServer backend(echo);
  TlsProxy proxy(dir, backend.port());
  // Trusted, but issued to "localhost", not to the name "127.0.0.1".
  HttpClient client = client_for("https://127.0.0.1:" + std::to_string(proxy.port()), proxy.ca_file());
  auto answer = client.post("/x", "{}", "", milliseconds(10000));
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("the server's certificate was refused"), std::string::npos)
      << answer.error().message;
  EXPECT_NE(answer.error().message.find("CN"), std::string::npos) << answer.error().message;
  EXPECT_TRUE(backend.requests().empty());
}

TEST_F(HttpClientTls, FailsClearlyWithoutTheCaFile) {
  opz::testing::TempDir dir;
  KeepAliveServer backend(echo);
  TlsProxy proxy(dir, backend.port());
  HttpClient client = client_for("https://localhost:" + std::to_string(proxy.port()), "");
  auto answer = client.post("/x", "{}", "", milliseconds(10000));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(answer.error().message.find("not correctly signed by the trusted CA"), std::string::npos)
      << answer.error().message;
  EXPECT_NE(answer.error().message.find("the server's certificate was refused"), std::string::npos)
      << answer.error().message;
  EXPECT_TRUE(backend.requests().empty());
}

TEST_F(HttpClientTls, FailsClearlyOnAMissingCaFile) {
  HttpClient client = client_for("https://127.0.0.1:1", "/nonexistent/ca.pem");
  auto answer = client.post("/x", "{}", "", milliseconds(10000));
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("cannot read the CA file /nonexistent/ca.pem"),
            std::string::npos)
      << answer.error().message;
}

}  // namespace
}  // namespace opz::agent
