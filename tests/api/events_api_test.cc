// GET /api/v1/events: the handler's answers (no sockets; the hub is primed
// and stepped by hand).
#include <gtest/gtest.h>

#include "api/api_fixture.h"
#include "realtime/event_hub.h"
#include "store/event_log_store.h"

namespace opz::api {
namespace {

class EventsApiTest : public ApiFixture {
 protected:
  void configure(ApiContext& ctx) override {
    log_ = std::make_unique<store::EventLogStore>(*db_);
    hub_ = std::make_unique<realtime::EventHub>(*log_, clock_);
    ASSERT_TRUE(hub_->prime().ok());
    ctx.events = hub_.get();
  }
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    token_ = token_for("viewer");
  }

  http::Response get(std::map<std::string, std::string> query,
                     std::vector<std::pair<std::string, std::string>> headers = {},
                     bool with_token = true) {
    auto m = router_.match("GET", "/api/v1/events");
    EXPECT_TRUE(m.found());
    http::Request req;
    req.method = "GET";
    req.path = "/api/v1/events";
    req.query = std::move(query);
    if (with_token) req.headers.add("Authorization", "Bearer " + token_);
    for (auto& [k, v] : headers) req.headers.add(k, v);
    return (*m.handler)(req);
  }
  std::string sent(http::Response& res) {
    std::string out;
    if (res.push) res.push->take(out);
    return out;
  }
  void add_execution(const std::string& id) {
    Status st = db_->write([&](store::SqlSession& s) -> Status {
      OPZ_TRY_STATUS(s.exec("INSERT INTO executions (id, name, created_at, updated_at) "
                            "VALUES ($1, 'x', 't', 't')",
                            {id}));
      return {};
    });
    ASSERT_TRUE(st.ok());
  }

  std::unique_ptr<store::EventLogStore> log_;
  std::unique_ptr<realtime::EventHub> hub_;
  std::string token_;
};

TEST_F(EventsApiTest, AnswersAnEventStreamThatStartsWithRetry) {
  auto res = get({});
  ASSERT_EQ(res.status, 200) << res.body;
  ASSERT_NE(res.push, nullptr);
  EXPECT_EQ(res.headers.get("Content-Type"), "text/event-stream");
  EXPECT_EQ(res.headers.get("Cache-Control"), "no-store");
  EXPECT_EQ(res.headers.get("X-Accel-Buffering"), "no");
  EXPECT_EQ(sent(res), "retry: 2000\n\n");
  EXPECT_EQ(hub_->client_count(), 1u);
  add_execution("e1");
  ASSERT_TRUE(hub_->poll_once().ok());
  EXPECT_NE(sent(res).find("event: executions\n"), std::string::npos);
}

TEST_F(EventsApiTest, NoCredentialsIs401) {
  EXPECT_EQ(get({}, {}, false).status, 401);
  EXPECT_EQ(hub_->client_count(), 0u);
}

TEST_F(EventsApiTest, AnUnknownTopicIs400NamingIt) {
  auto res = get({{"topics", "nodes,nodez"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("nodez"), std::string::npos) << res.body;
  EXPECT_EQ(hub_->client_count(), 0u);
}

TEST_F(EventsApiTest, AMalformedEventIdIs400) {
  EXPECT_EQ(get({{"last_event_id", "abc"}}).status, 400);
  EXPECT_EQ(get({}, {{"Last-Event-ID", "-3"}}).status, 400);
}

TEST_F(EventsApiTest, BatchOneAsksForBatchFramesAndAnythingElseButZeroIs400NamingIt) {
  auto bad = get({{"batch", "yes"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("\"batch\""), std::string::npos) << bad.body;
  EXPECT_EQ(hub_->client_count(), 0u);
  auto batched = get({{"batch", "1"}});
  auto plain = get({{"batch", "0"}});
  ASSERT_EQ(batched.status, 200);
  ASSERT_EQ(plain.status, 200);
  add_execution("e1");  // id 1
  ASSERT_TRUE(hub_->poll_once().ok());
  sent(batched);
  sent(plain);
  Status st = db_->write([&](store::SqlSession& s) -> Status {  // ids 2 and 3, one transaction
    OPZ_TRY_STATUS(s.exec("INSERT INTO execution_nodes (id, execution_id, node_id, created_at, "
                          "updated_at) VALUES ('a', 'e1', 'a', 't', 't'), ('b', 'e1', 'b', 't', 't')"));
    return {};
  });
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(hub_->poll_once().ok());
  const std::string batch = sent(batched);
  EXPECT_EQ(batch.rfind("id: 3\nevent: batch\ndata: {\"from\":2,\"to\":3,", 0), 0u) << batch;
  const std::string each = sent(plain);
  EXPECT_NE(each.find("id: 2\nevent: nodes\n"), std::string::npos) << each;
  EXPECT_NE(each.find("id: 3\nevent: nodes\n"), std::string::npos) << each;
}

TEST_F(EventsApiTest, TheLastEventIdHeaderWinsOverTheQuery) {
  add_execution("e1");
  add_execution("e2");
  // The header's 1 replays e2 only; the query's 0 would replay both.
  auto res = get({{"last_event_id", "0"}}, {{"Last-Event-ID", "1"}});
  ASSERT_EQ(res.status, 200);
  ASSERT_TRUE(hub_->poll_once().ok());
  const std::string out = sent(res);
  EXPECT_EQ(out.find("id: 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("id: 2\n"), std::string::npos) << out;
}

TEST_F(EventsApiTest, WithoutAHubTheRouteIsUnavailable) {
  ctx_->events = nullptr;
  EXPECT_EQ(get({}).status, 503);
}

}  // namespace
}  // namespace opz::api
