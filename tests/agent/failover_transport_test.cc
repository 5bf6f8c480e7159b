// FailoverTransport with scripted per-server transports: a dead first server
// is left for the next one within the same request; 4xx answers are not
// failures; a full round of failures backs off without I/O (ManualClock).
#include "agent/failover_transport.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>

namespace opz::agent {
namespace {

using std::chrono::milliseconds;

// Every server's scripted answers (a status, or 0 for "no connection") and
// the requests each one received, in order.
struct Script {
  std::map<std::string, std::deque<long>> answers;
  std::vector<std::string> received;  // "url path"
};

class ScriptedTransport final : public AgentTransport {
 public:
  ScriptedTransport(std::string url, Script& script) : url_(std::move(url)), script_(script) {}
  Result<HttpAnswer> post(const std::string& path, const Json&, milliseconds) override {
    script_.received.push_back(url_ + " " + path);
    auto& queue = script_.answers[url_];
    long status = 200;
    if (!queue.empty()) {
      status = queue.front();
      queue.pop_front();
    }
    if (status == 0) return Error::unavailable("POST " + url_ + path + ": connection refused");
    return HttpAnswer{status, Json{{"from", url_}}};
  }

 private:
  std::string url_;
  Script& script_;
};

class FailoverTransportTest : public ::testing::Test {
 protected:
  FailoverTransport make(std::vector<std::string> servers, RotationPolicy policy) {
    return FailoverTransport(
        std::move(servers),
        [this](const std::string& url) { return std::make_unique<ScriptedTransport>(url, script_); },
        policy, clock_);
  }
  Script script_;
  ManualClock clock_;
};

TEST_F(FailoverTransportTest, ADeadFirstServerIsLeftAndTheSameRequestGoesToTheNext) {
  script_.answers["http://dead"] = {0, 0, 0};
  auto t = make({"http://dead", "http://live"}, {.failures_before_switch = 2});
  auto first = t.post("/api/v1/agents/poll", Json::object(), milliseconds(100));
  EXPECT_FALSE(first.ok()) << "one failure is not yet enough to leave a server";
  auto second = t.post("/api/v1/agents/poll", Json::object(), milliseconds(100));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->body["from"], "http://live");
  EXPECT_EQ(t.current_server(), "http://live");
  auto third = t.post("/api/v1/agents/jobs/j/complete", Json::object(), milliseconds(100));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(script_.received,
            (std::vector<std::string>{"http://dead /api/v1/agents/poll",
                                      "http://dead /api/v1/agents/poll",
                                      "http://live /api/v1/agents/poll",
                                      "http://live /api/v1/agents/jobs/j/complete"}));
}

TEST_F(FailoverTransportTest, A5xxIsAFailureAndA4xxIsAnAnswer) {
  script_.answers["http://a"] = {503, 409, 503, 503};
  auto t = make({"http://a", "http://b"}, {.failures_before_switch = 2});
  auto a = t.post("/x", Json::object(), milliseconds(100));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, 503);
  a = t.post("/x", Json::object(), milliseconds(100));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, 409) << "a 409 is the server's answer: it resets the count";
  EXPECT_EQ(t.post("/x", Json::object(), milliseconds(100))->status, 503);
  a = t.post("/x", Json::object(), milliseconds(100));  // second 503 in a row: on to b
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body["from"], "http://b");
}

TEST_F(FailoverTransportTest, AFullRoundOfFailuresBacksOffWithoutAnyRequest) {
  script_.answers["http://a"] = {0, 0};
  script_.answers["http://b"] = {0};
  auto t = make({"http://a", "http://b"},
                {.failures_before_switch = 1, .initial_backoff = milliseconds(1000)});
  auto failed = t.post("/x", Json::object(), milliseconds(100));  // a, then b: a full round
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("http://b"), std::string::npos) << failed.error().message;
  EXPECT_EQ(script_.received.size(), 2u);
  auto held = t.post("/x", Json::object(), milliseconds(100));
  ASSERT_FALSE(held.ok());
  EXPECT_NE(held.error().message.find("backing off"), std::string::npos);
  EXPECT_EQ(script_.received.size(), 2u) << "no request while backing off";
  clock_.advance(milliseconds(1000));
  auto after = t.post("/x", Json::object(), milliseconds(100));  // a fails again, b answers
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->body["from"], "http://b");
  EXPECT_EQ(script_.received.size(), 4u);
}

}  // namespace
}  // namespace opz::agent
