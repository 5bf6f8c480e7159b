#include "github/http_transport.h"

#include <gtest/gtest.h>

#include <string>

#include "support/fake_http_server.h"

namespace opz::github {
namespace {

using opz::testing::CannedResponse;
using opz::testing::FakeHttpServer;

TEST(HttpTransport, SendsMethodHeadersAndBodyAndReadsTheAnswer) {
  FakeHttpServer server;
  CannedResponse canned = CannedResponse::json(201, R"({"ok":true})");
  canned.headers.emplace_back("X-Custom-Header", "  padded value ");
  server.enqueue(canned);

  HttpRequest req;
  req.method = "PUT";
  req.url = server.base_url() + "/things/1?x=y";
  req.headers = {{"Authorization", "Bearer t"}, {"Content-Type", "application/json"}};
  req.body = R"({"a":1})";
  auto resp = HttpTransport().send(req);
  ASSERT_TRUE(resp.ok()) << resp.error().to_string();
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, R"({"ok":true})");
  EXPECT_EQ(resp->header("x-custom-header"), "padded value");
  EXPECT_EQ(resp->header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(resp->header("missing"), "");

  auto seen = server.last_request();
  EXPECT_EQ(seen.method, "PUT");
  EXPECT_EQ(seen.path, "/things/1");
  EXPECT_EQ(seen.query, "x=y");
  EXPECT_EQ(seen.header("authorization"), "Bearer t");
  EXPECT_EQ(seen.header("expect"), "");  // bodies are sent without waiting for 100
  EXPECT_EQ(seen.body, R"({"a":1})");
}

TEST(HttpTransport, LargeBodiesArriveWhole) {
  FakeHttpServer server;
  server.enqueue(CannedResponse::json(200, std::string(300000, 'r')));
  HttpRequest req{"POST", server.base_url() + "/big", {}, std::string(200000, 'q')};
  auto resp = HttpTransport().send(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->body.size(), 300000u);
  EXPECT_EQ(server.last_request().body, std::string(200000, 'q'));
}

TEST(HttpTransport, ChunkedRequestBodiesAreDecodedByTheFakeServer) {
  FakeHttpServer server;
  server.enqueue(CannedResponse::json(200, "{}"));
  HttpRequest req{"POST", server.base_url() + "/chunked", {{"Transfer-Encoding", "chunked"}},
                  std::string(70000, 'c')};
  ASSERT_TRUE(HttpTransport().send(req).ok());
  EXPECT_EQ(server.last_request().header("transfer-encoding"), "chunked");
  EXPECT_EQ(server.last_request().body, std::string(70000, 'c'));
}

TEST(HttpTransport, NonSuccessStatusesAreAnswersNotErrors) {
  FakeHttpServer server;
  server.enqueue(CannedResponse::json(404, R"({"message":"Not Found"})"));
  auto resp = HttpTransport().send({"GET", server.base_url() + "/nope", {}, ""});
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 404);
  EXPECT_EQ(server.last_request().method, "GET");
  EXPECT_EQ(server.last_request().body, "");
}

TEST(HttpTransport, ResponsesOverTheLimitFail) {
  FakeHttpServer server;
  server.enqueue(CannedResponse::json(200, std::string(5000, 'x')));
  HttpTransportOptions options;
  options.max_response_bytes = 1000;
  auto resp = HttpTransport(options).send({"GET", server.base_url() + "/", {}, ""});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(resp.error().message.find("exceeds 1000 bytes"), std::string::npos);
}

TEST(HttpTransport, RedirectsAreNotFollowed) {
  FakeHttpServer server;
  CannedResponse moved{301, {{"Location", "http://127.0.0.1:1/elsewhere"}}, "", {}};
  server.enqueue(moved);
  auto resp = HttpTransport().send({"GET", server.base_url() + "/old", {}, ""});
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 301);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpTransport, UnsupportedSchemesAndBadUrlsFail) {
  auto file = HttpTransport().send({"GET", "file:///etc/passwd", {}, ""});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(HttpTransport().send({"GET", "not a url", {}, ""}).ok());
}

}  // namespace
}  // namespace opz::github
