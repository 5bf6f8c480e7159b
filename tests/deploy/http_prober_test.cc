// HttpProber against a real socket: tests/support's FakeHttpServer (plain
// POSIX sockets on 127.0.0.1, one canned answer per request).
#include "deploy/http_prober.h"

#include <gtest/gtest.h>

#include <future>

#include "support/fake_http_server.h"

namespace opz::deploy {
namespace {

using opz::testing::CannedResponse;
using opz::testing::FakeHttpServer;

ProbeResponse probe(HttpProber& prober, const std::string& url, Millis timeout = Millis{2000}) {
  auto answer = std::make_shared<std::promise<ProbeResponse>>();
  auto future = answer->get_future();
  prober.get(url, timeout, [answer](ProbeResponse r) { answer->set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "no answer for " << url;
    return {};
  }
  return future.get();
}

TEST(HttpProberTest, AnswersStatusBodyAndLatency) {
  FakeHttpServer server;
  server.enqueue(CannedResponse{503, {}, "draining", Millis{0}});
  HttpProber prober;
  ProbeResponse r = probe(prober, server.base_url() + "/health");
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "draining");
  EXPECT_GE(r.latency, Millis{0});
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.last_request().method, "GET");
  EXPECT_EQ(server.last_request().path, "/health");
}

TEST(HttpProberTest, CapsTheBodyAt64KiB) {
  FakeHttpServer server;
  server.enqueue(CannedResponse{200, {}, std::string(100 * 1024, 'x'), Millis{0}});
  HttpProber prober;
  ProbeResponse r = probe(prober, server.base_url() + "/big");
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.body.size(), kMaxProbeBodyBytes);
}

TEST(HttpProberTest, AClosedPortIsATransportFailure) {
  int port = 0;
  {
    FakeHttpServer gone;
    port = gone.port();
  }
  HttpProber prober;
  ProbeResponse r = probe(prober, "http://127.0.0.1:" + std::to_string(port) + "/health");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.status, std::nullopt);
  EXPECT_NE(r.error.find("GET http://127.0.0.1:"), std::string::npos) << r.error;
}

TEST(HttpProberTest, ASlowAnswerTimesOut) {
  FakeHttpServer server;
  server.enqueue(CannedResponse{200, {}, "late", Millis{1500}});
  HttpProber prober;
  const auto started = std::chrono::steady_clock::now();
  ProbeResponse r = probe(prober, server.base_url() + "/slow", Millis{150});
  EXPECT_FALSE(r.ok);
  EXPECT_LT(std::chrono::steady_clock::now() - started, Millis{1400});
}

TEST(HttpProberTest, OnlyHttpAndHttps) {
  HttpProber prober;
  ProbeResponse r = probe(prober, "file:///etc/passwd");
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.body.empty());
}

TEST(HttpProberTest, ProbesOverlap) {
  FakeHttpServer slow;
  slow.enqueue(CannedResponse{200, {}, "slow", Millis{800}});
  FakeHttpServer fast;
  fast.enqueue(CannedResponse{200, {}, "fast", Millis{0}});
  HttpProber prober;
  auto slow_answer = std::make_shared<std::promise<ProbeResponse>>();
  prober.get(slow.base_url() + "/", Millis{3000},
             [slow_answer](ProbeResponse r) { slow_answer->set_value(std::move(r)); });
  const auto started = std::chrono::steady_clock::now();
  ProbeResponse quick = probe(prober, fast.base_url() + "/");
  EXPECT_EQ(quick.body, "fast");
  EXPECT_LT(std::chrono::steady_clock::now() - started, Millis{700}) << "not queued behind";
  auto slow_future = slow_answer->get_future();
  ASSERT_EQ(slow_future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(slow_future.get().body, "slow");
}

}  // namespace
}  // namespace opz::deploy
