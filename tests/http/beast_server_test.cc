#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "core/ids.h"
#include "http/raw_socket.h"
#include "support/http_client.h"
#include "telemetry/metrics.h"

namespace opz::http {
namespace {

using opz::testing::HttpClient;
using opz::testing::HttpResult;
using testing::RawSocket;
using namespace std::chrono_literals;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add("GET", "/hello", [](Request&) { return Response::text(200, "hello"); });
    add("GET", "/items/{id}",
        [](Request& r) { return Response::json(200, "{\"id\":\"" + r.param("id") + "\"}"); });
    add("DELETE", "/items/{id}", [](Request&) { return Response::text(204, ""); });
    add("POST", "/echo", [](Request& r) { return Response::text(200, r.body); });
    add(
        "POST", "/upload",
        [](Request& r) { return Response::text(200, std::to_string(r.body.size())); },
        RouteOptions{"upload", 100});
    add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("kaput"); });
    add(
        "GET", "/private", [](Request&) { return Response::text(200, "secret"); },
        RouteOptions{"private.read", {}});
    add("GET", "/slow", [this](Request&) {
      slow_entered.set_value();
      std::this_thread::sleep_for(300ms);
      return Response::text(200, "slow done");
    });
    add("GET", "/stream", [](Request&) {
      Response r;
      r.headers.set("Content-Type", "text/event-stream");
      auto n = std::make_shared<int>(0);
      r.stream = std::make_shared<BodyStream>([n](std::string& out) {
        out += "data: " + std::to_string((*n)++) + "\n\n";
        return *n < 5;
      });
      return r;
    });
  }

  // POST /later answers when the test says (answer_later); POST /dropped never does.
  void add_deferred_routes() {
    RouteOptions on_io;
    on_io.on_io_thread = true;
    add(
        "POST", "/later",
        [this](Request& r) {
          auto pending = std::make_shared<PendingAnswer>();
          pending_body = r.body;
          pending_answer.set_value(pending);
          return Response::deferred(pending);
        },
        on_io);
    add(
        "POST", "/dropped",
        [](Request&) { return Response::deferred(std::make_shared<PendingAnswer>()); }, on_io);
  }

  void add(const char* method, const char* pattern, Handler h, RouteOptions o = {}) {
    ASSERT_TRUE(router.add(method, pattern, std::move(h), std::move(o)).ok());
  }

  void start(ServerOptions o = {}) {
    o.host = "127.0.0.1";
    o.port = 0;
    if (o.threads <= 0) o.threads = 2;
    o.handler_threads = 4;
    o.metrics = &registry;
    o.before_handler = [](Request& req, const RouteOptions& route) -> std::optional<Response> {
      if (route.action == "private.read" && req.header("Authorization") != "Bearer ok") {
        return Response::json(401, R"({"error":{"code":"unauthorized","message":"no"}})");
      }
      return std::nullopt;
    };
    server = std::make_unique<HttpServer>(std::move(o), router);
    auto listening = server->listen();
    ASSERT_TRUE(listening.ok()) << listening.error().to_string();
    address = server->bound_address();
    runner = std::thread([this] { server->run(); });
  }

  void TearDown() override {
    if (runner.joinable()) {
      server->stop(2s);
      runner.join();
    }
  }

  HttpClient client() const { return HttpClient("http://" + address); }

  // The server records metrics after the response is written, so a client may
  // see the response first: wait (bounded) until every needle shows up.
  std::string metrics_containing(const std::vector<std::string>& needles) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      text = registry.render();
      bool all = true;
      for (const auto& n : needles) all = all && text.find(n) != std::string::npos;
      if (all) break;
      std::this_thread::sleep_for(10ms);
    }
    return text;
  }

  Router router;
  telemetry::MetricsRegistry registry;
  std::unique_ptr<HttpServer> server;
  std::thread runner;
  std::string address;
  std::promise<void> slow_entered;
  std::promise<std::shared_ptr<PendingAnswer>> pending_answer;
  std::string pending_body;
};

TEST_F(HttpServerTest, BindsEphemeralPortOnLoopback) {
  start();
  EXPECT_EQ(address.rfind("127.0.0.1:", 0), 0u);
  EXPECT_NE(address, "127.0.0.1:0");
  HttpResult r = client().get("/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
}

TEST_F(HttpServerTest, ListenFailuresAreErrors) {
  start();
  auto again = server->listen();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(client().get("/hello").status, 200);  // the first listener is untouched

  ServerOptions same;
  same.host = "127.0.0.1";
  same.port = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
  HttpServer second(same, router);
  auto s = second.listen();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(second.bound_address(), "");
  second.run();  // returns at once: not listening

  ServerOptions bad;
  bad.host = "not-an-address";
  HttpServer third(bad, router);
  auto b = third.listen();
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kValidation);
}

TEST_F(HttpServerTest, KeepAliveReusesTheConnection) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(sock.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(sock.send("GET /items/" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = sock.read_response();
    EXPECT_EQ(r.status, 200) << r.head;
    EXPECT_EQ(r.body, "{\"id\":\"" + std::to_string(i) + "\"}");
    EXPECT_FALSE(r.has_header("Connection: close")) << r.head;
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAnswerInOrder) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(
      sock.send("GET /items/a HTTP/1.1\r\nHost: t\r\n\r\n"
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nping"
                "GET /items/b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  auto a = sock.read_response();
  auto e = sock.read_response();
  auto b = sock.read_response();
  EXPECT_EQ(a.body, "{\"id\":\"a\"}");
  EXPECT_EQ(e.body, "ping");
  EXPECT_EQ(b.body, "{\"id\":\"b\"}");
  EXPECT_TRUE(b.has_header("Connection: close")) << b.head;
  EXPECT_TRUE(sock.closed_by_peer());
}

TEST_F(HttpServerTest, HeadSendsHeadersWithoutBody) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(sock.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto h = sock.read_response(/*head_request=*/true);
  EXPECT_EQ(h.status, 200);
  EXPECT_TRUE(h.has_header("Content-Length: 5")) << h.head;
  // The next response on the same connection must start right after the head.
  ASSERT_TRUE(sock.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto g = sock.read_response();
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.body, "hello");
}

TEST_F(HttpServerTest, NoContentHasNoBody) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(sock.send("DELETE /items/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(sock.read_response().status, 204);
  EXPECT_EQ(sock.read_response().body, "hello");
}

TEST_F(HttpServerTest, NotFoundAndMethodNotAllowedAreJson) {
  start();
  HttpResult nf = client().get("/nope");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.json()["error"]["code"], "not_found");
  EXPECT_FALSE(nf.header("x-request-id").empty());

  HttpResult na = client().del("/hello");
  EXPECT_EQ(na.status, 405);
  EXPECT_EQ(na.header("allow"), "GET, HEAD");
  EXPECT_EQ(na.json()["error"]["code"], "method_not_allowed");
}

TEST_F(HttpServerTest, RouteBodyLimitGives413) {
  start();
  HttpResult ok = client().post("/upload", std::string(100, 'x'));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "100");
  HttpResult big = client().post("/upload", std::string(101, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.json()["error"]["code"], "payload_too_large");
  // The server default (here 10 MiB) applies to other routes.
  EXPECT_EQ(client().post("/echo", std::string(1000, 'y')).body.size(), 1000u);
}

TEST_F(HttpServerTest, ChunkedBodyOverLimitGives413) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(
      sock.send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                "50\r\n" +
                std::string(80, 'a') + "\r\n50\r\n" + std::string(80, 'b') + "\r\n0\r\n\r\n"));
  auto r = sock.read_response();
  EXPECT_EQ(r.status, 413) << r.head;
  EXPECT_TRUE(r.has_header("Connection: close")) << r.head;
}

// A client that sends its whole oversized body before it reads (as curl does
// without "Expect: 100-continue") must still find the 413: the server reads
// and discards the rest rather than closing on unread bytes, which would
// reset the connection and destroy the answer.
TEST_F(HttpServerTest, A413SentEarlyOutlivesTheRestOfTheBody) {
  start();
  RawSocket sock(address);
  const size_t size = 9 << 20;
  ASSERT_TRUE(sock.send(
      "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n"));
  ASSERT_TRUE(sock.send(std::string(size, 'x'))) << "the server reset the connection";
  auto r = sock.read_response();
  EXPECT_EQ(r.status, 413) << r.head;
  EXPECT_TRUE(r.has_header("Connection: close")) << r.head;
}

TEST_F(HttpServerTest, ServerDefaultBodyLimit) {
  ServerOptions o;
  o.max_body = 10;
  start(o);
  EXPECT_EQ(client().post("/echo", std::string(11, 'z')).status, 413);
  EXPECT_EQ(client().post("/echo", std::string(10, 'z')).status, 200);
}

TEST_F(HttpServerTest, MalformedRequestLineGives400AndClose) {
  start();
  for (const char* junk : {"GARBAGE\r\n\r\n", "GET /hello HTTX/1.1\r\n\r\n",
                           "GET /hello HTTP/1.1\r\nBad Header Line\r\n\r\n",
                           "POST /echo HTTP/1.1\r\nContent-Length: nope\r\n\r\n"}) {
    RawSocket sock(address);
    ASSERT_TRUE(sock.send(junk));
    auto r = sock.read_response();
    EXPECT_EQ(r.status, 400) << junk;
    EXPECT_TRUE(r.has_header("Connection: close")) << r.head;
    EXPECT_NE(r.body.find("\"malformed\""), std::string::npos) << r.body;
    EXPECT_TRUE(sock.closed_by_peer()) << junk;
  }
  EXPECT_EQ(client().get("/hello").status, 200);  // still serving
}

TEST_F(HttpServerTest, BadTargetGives400) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(sock.send("GET /items/%zz HTTP/1.1\r\nHost: t\r\n\r\n"));
  auto r = sock.read_response();
  EXPECT_EQ(r.status, 400);
}

TEST_F(HttpServerTest, OversizedHeadGives431) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(sock.send("GET /hello HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"));
  auto r = sock.read_response();
  EXPECT_EQ(r.status, 431);
}

TEST_F(HttpServerTest, HostileBytesDoNotKillTheServer) {
  start();
  std::string noise;
  for (int i = 0; i < 2048; ++i) noise.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  for (const std::string& junk :
       {noise, std::string("\0\0\0\0\r\n\r\n", 8), std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")}) {
    RawSocket sock(address);
    sock.send(junk);
    sock.read_response();
  }
  EXPECT_EQ(client().get("/hello").status, 200);
}

TEST_F(HttpServerTest, RequestIdIsEchoedOrGenerated) {
  start();
  HttpResult given = client().request("GET", "/hello", "", {"X-Request-Id: trace.123-abc"});
  EXPECT_EQ(given.header("x-request-id"), "trace.123-abc");
  HttpResult insane = client().request("GET", "/hello", "", {"X-Request-Id: bad id!"});
  EXPECT_TRUE(is_uuid(insane.header("x-request-id"))) << insane.header("x-request-id");
  HttpResult none = client().get("/hello");
  EXPECT_TRUE(is_uuid(none.header("x-request-id")));
  EXPECT_NE(none.header("x-request-id"), insane.header("x-request-id"));
}

TEST_F(HttpServerTest, BeforeHandlerShortCircuits) {
  start();
  HttpResult denied = client().get("/private");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.json()["error"]["code"], "unauthorized");
  EXPECT_FALSE(denied.header("x-request-id").empty());
  HttpResult allowed = client().request("GET", "/private", "", {"Authorization: Bearer ok"});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.body, "secret");
}

TEST_F(HttpServerTest, StreamingResponseIsChunkedAndComplete) {
  start();
  HttpResult r = client().get("/stream");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  EXPECT_EQ(r.body, "data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n");
}

TEST_F(HttpServerTest, HandlerExceptionGives500Json) {
  start();
  HttpResult r = client().get("/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json()["error"]["code"], "internal");
  EXPECT_EQ(r.json()["error"]["message"],
            "internal error (request id " + r.header("x-request-id") + ")");
  EXPECT_EQ(client().get("/hello").status, 200);
}

TEST_F(HttpServerTest, ADeferredAnswerComesLaterWithoutHoldingTheIoThread) {
  add_deferred_routes();
  ServerOptions one_io_thread;
  one_io_thread.threads = 1;
  start(one_io_thread);
  auto waiting = std::async(std::launch::async, [this] {
    return client().request("POST", "/later", "payload", {"X-Request-Id: rid-later"});
  });
  auto got = pending_answer.get_future();
  ASSERT_EQ(got.wait_for(5s), std::future_status::ready);
  std::shared_ptr<PendingAnswer> pending = got.get();
  // The only I/O thread serves other connections meanwhile.
  EXPECT_EQ(client().get("/hello").body, "hello");
  EXPECT_EQ(waiting.wait_for(50ms), std::future_status::timeout);

  std::thread([pending, body = pending_body] {
    pending->answer(Response::text(201, "later: " + body));
  }).join();
  pending->answer(Response::text(200, "a second answer is ignored"));
  HttpResult r = waiting.get();
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "later: payload");
  EXPECT_EQ(r.header("x-request-id"), "rid-later");
}

TEST_F(HttpServerTest, AGetOnTheHandlerPoolLeavesItsIoThreadFree) {
  // /held waits until /hello has been answered. With one I/O thread that is
  // only possible when /held runs on the pool (RouteOptions::on_handler_pool);
  // inline, /hello would wait behind it and /held would give up: 500.
  auto entered = std::make_shared<std::promise<void>>();
  auto released = std::make_shared<std::promise<void>>();
  std::shared_future<void> release = released->get_future().share();
  RouteOptions pool;
  pool.on_handler_pool = true;
  add(
      "GET", "/held",
      [entered, release](Request&) {
        entered->set_value();
        if (release.wait_for(10s) != std::future_status::ready)
          return Response::text(500, "held the I/O thread");
        return Response::text(200, "held done");
      },
      pool);
  ServerOptions one_io_thread;
  one_io_thread.threads = 1;
  start(one_io_thread);
  auto held = std::async(std::launch::async, [this] { return client().get("/held"); });
  ASSERT_EQ(entered->get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(client().get("/hello").body, "hello");
  released->set_value();
  HttpResult r = held.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "held done");
}

TEST_F(HttpServerTest, ADroppedDeferredAnswerIs500NotAHang) {
  add_deferred_routes();
  start();
  HttpResult r = client().post("/dropped", std::string("x"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.json()["error"]["message"], "the handler dropped its answer");
  EXPECT_FALSE(r.header("x-request-id").empty());
  EXPECT_EQ(client().get("/hello").status, 200);
}

TEST_F(HttpServerTest, GracefulStopLetsInFlightRequestFinish) {
  start();
  auto in_flight = std::async(std::launch::async, [this] { return client().get("/slow"); });
  ASSERT_EQ(slow_entered.get_future().wait_for(5s), std::future_status::ready);
  const auto t0 = std::chrono::steady_clock::now();
  server->stop(5s);
  HttpResult r = in_flight.get();
  runner.join();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_EQ(client().get("/hello").status, 0);  // no longer accepting
}

TEST_F(HttpServerTest, StopClosesIdleKeepAliveConnectionsAtOnce) {
  start();
  RawSocket sock(address);
  ASSERT_TRUE(sock.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_EQ(sock.read_response().status, 200);
  const auto t0 = std::chrono::steady_clock::now();
  server->stop(10s);
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_TRUE(sock.closed_by_peer());
}

TEST_F(HttpServerTest, StopBeforeRunReturnsRunPromptly) {
  auto s = std::make_unique<HttpServer>(ServerOptions{}, router);
  ASSERT_TRUE(s->listen().ok());
  s->stop(1s);
  s->run();  // must not block
  SUCCEED();
}

TEST_F(HttpServerTest, SlowClientIsCutOffByReadTimeout) {
  ServerOptions o;
  o.read_timeout = 1s;
  start(o);
  RawSocket sock(address);
  ASSERT_TRUE(sock.send("GET /hello HTTP/1.1\r\nHo"));
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(sock.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s);
}

TEST_F(HttpServerTest, MetricsUseRoutePatterns) {
  start();
  client().get("/items/1");
  client().get("/items/2");
  client().get("/nope/at/all");
  const std::vector<std::string> needles = {
      "opzenix_http_requests_total{route=\"/items/{id}\",method=\"GET\",status=\"200\"} 2\n",
      "opzenix_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n",
      "opzenix_http_request_duration_seconds_count{route=\"/items/{id}\"} 2\n"};
  const std::string text = metrics_containing(needles);
  for (const auto& n : needles) EXPECT_NE(text.find(n), std::string::npos) << n << "\n" << text;
  EXPECT_EQ(text.find("/items/1"), std::string::npos);
}

}  // namespace
}  // namespace opz::http
