// The hub against real PushStreams (no sockets) over a real migrated
// database, driven by poll_once() with a ManualClock: no sleeps.
#include "realtime/event_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/json.h"
#include "store/database.h"
#include "support/temp_dir.h"
#include "telemetry/metrics.h"

namespace opz::realtime {
namespace {

// What a client received, frame by frame.
struct Received {
  std::vector<int64_t> ids;  // events (not resets), in order
  std::vector<std::string> topics;
  std::vector<std::string> resets;  // their data lines
  std::vector<int64_t> reset_ids;
  int heartbeats = 0;
  int preambles = 0;
  int batches = 0;  // batch frames among the events
  bool ended = false;
};

void parse_frames(const std::string& text, Received& out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    ASSERT_NE(end, std::string::npos) << "a frame without its blank line: " << text.substr(pos);
    const std::string frame = text.substr(pos, end - pos);
    pos = end + 2;
    if (frame == ": heartbeat") {
      ++out.heartbeats;
      continue;
    }
    if (frame == "retry: 2000") {
      ++out.preambles;
      continue;
    }
    int64_t id = -1;
    std::string event, data;
    size_t line_start = 0;
    while (line_start <= frame.size()) {
      size_t nl = frame.find('\n', line_start);
      if (nl == std::string::npos) nl = frame.size();
      const std::string line = frame.substr(line_start, nl - line_start);
      if (line.rfind("id: ", 0) == 0) id = std::stoll(line.substr(4));
      if (line.rfind("event: ", 0) == 0) event = line.substr(7);
      if (line.rfind("data: ", 0) == 0) data = line.substr(6);
      line_start = nl + 1;
    }
    if (event == "reset") {
      out.resets.push_back(data);
      out.reset_ids.push_back(id);
    } else if (event == "batch") {  // batch_frame.h: the events from..to
      auto doc = parse_json(data);
      ASSERT_TRUE(doc.ok()) << data;
      ASSERT_EQ((*doc)["to"].get<int64_t>(), id);
      ++out.batches;
      for (int64_t k = (*doc)["from"].get<int64_t>(); k <= id; ++k) {
        out.ids.push_back(k);
        out.topics.push_back((*doc)["topic"].get<std::string>());
      }
    } else {
      out.ids.push_back(id);
      out.topics.push_back(event);
    }
  }
}

class EventHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::open_sqlite({.path = dir_.str() + "/t.db"});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().ok());
    log_ = std::make_unique<store::EventLogStore>(*db_);
  }

  std::unique_ptr<EventHub> make_hub(EventHubOptions o = {}) {
    auto hub = std::make_unique<EventHub>(*log_, clock_, o, &metrics_);
    Status st = hub->prime();
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return hub;
  }

  void sql(const std::string& text, const store::Params& params = {}) {
    Status st = db_->write([&](store::SqlSession& s) -> Status {
      OPZ_TRY_STATUS(s.exec(text, params));
      return {};
    });
    ASSERT_TRUE(st.ok()) << st.error().to_string();
  }
  void add_execution(const std::string& id) {
    sql("INSERT INTO executions (id, name, status, created_at, updated_at) "
        "VALUES ($1, 'x', 'running', 't', 't')",
        {id});
  }
  void add_node(const std::string& execution, const std::string& node) {
    sql("INSERT INTO execution_nodes (id, execution_id, node_id, created_at, updated_at) "
        "VALUES ($1, $2, $3, 't', 't')",
        {execution + "/" + node, execution, node});
  }
  void add_log(const std::string& execution, const std::string& message) {
    sql("INSERT INTO execution_logs (execution_id, node_id, message, created_at) "
        "VALUES ($1, 'build', $2, 't')",
        {execution, message});
  }
  void notify_user(const std::string& id, const std::string& user) {
    sql("INSERT INTO notification_events (id, type, target_user_id, created_at) "
        "VALUES ($1, 'x', $2, 't')",
        {id, user});
  }
  // Ids in the log after `after`, optionally only of some topics.
  std::vector<int64_t> logged_ids(int64_t after, const std::string& topic_clause = "1 = 1") {
    auto rows = db_->read([&](store::SqlSession& s) {
      return s.query("SELECT id FROM realtime_events WHERE id > $1 AND " + topic_clause +
                         " ORDER BY id",
                     {after});
    });
    EXPECT_TRUE(rows.ok());
    std::vector<int64_t> ids;
    for (const auto& r : *rows) ids.push_back(r[0].as_int());
    return ids;
  }
  int64_t last_id() { return log_->last_id().value(); }

  static std::shared_ptr<http::PushStream> stream(size_t max = 1 << 20) {
    return std::make_shared<http::PushStream>(max);
  }
  static Received drain(http::PushStream& s, Received& into) {
    std::string out;
    into.ended = !s.take(out) || into.ended;
    parse_frames(out, into);
    return into;
  }
  static StreamFilter everything(const std::string& user = "alice",
                                 auth::Role role = auth::Role::kAdmin) {
    return StreamFilter::make(std::nullopt, {}, Viewer{user, role}).value();
  }
  // A sample's value in the registry's exposition (0 when absent).
  double sample(const std::string& series) {
    const std::string text = metrics_.render();
    const size_t at = text.find("\n" + series + " ");
    if (at == std::string::npos) return 0;
    return std::stod(text.substr(at + series.size() + 2));
  }
  double resets(const std::string& reason) {
    return sample("opzenix_event_stream_resets_total{reason=\"" + reason + "\"}");
  }

  opz::testing::TempDir dir_;
  ManualClock clock_;
  telemetry::MetricsRegistry metrics_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::EventLogStore> log_;
};

TEST_F(EventHubTest, ALiveClientGetsThePreambleThenEveryNewEventInOrder) {
  add_execution("old");  // before the client: not sent
  auto hub = make_hub();
  auto s = stream();
  const int64_t start = last_id();
  ASSERT_TRUE(hub->subscribe(s, everything(), std::nullopt).ok());
  add_execution("e1");
  add_node("e1", "build");
  add_log("e1", "compiling");
  ASSERT_TRUE(hub->poll_once().ok());
  Received r;
  drain(*s, r);
  EXPECT_EQ(r.preambles, 1);
  EXPECT_EQ(r.ids, logged_ids(start));
  EXPECT_EQ(r.topics, (std::vector<std::string>{"executions", "nodes", "logs"}));
  EXPECT_TRUE(r.resets.empty());
  EXPECT_EQ(hub->delivered_id(), last_id());
}

TEST_F(EventHubTest, AClientTakingBatchesGetsOneTransactionsRowsAsOneFrame) {
  add_execution("e1");
  auto hub = make_hub();
  auto batched = stream();
  auto plain = stream();
  const int64_t start = last_id();
  ASSERT_TRUE(hub->subscribe(batched, everything(), std::nullopt, Framing::kBatchRuns).ok());
  ASSERT_TRUE(hub->subscribe(plain, everything(), std::nullopt).ok());
  // A submit: every node row in one transaction.
  sql("INSERT INTO execution_nodes (id, execution_id, node_id, created_at, updated_at) "
      "VALUES ('a', 'e1', 'a', 't', 't'), ('b', 'e1', 'b', 't', 't'), ('c', 'e1', 'c', 't', 't')");
  add_log("e1", "one line");
  ASSERT_TRUE(hub->poll_once().ok());
  Received b, p;
  drain(*batched, b);
  drain(*plain, p);
  EXPECT_EQ(b.ids, logged_ids(start));
  EXPECT_EQ(b.batches, 1);
  EXPECT_EQ(b.topics, (std::vector<std::string>{"nodes", "nodes", "nodes", "logs"}));
  EXPECT_EQ(p.ids, logged_ids(start));
  EXPECT_EQ(p.batches, 0);
  EXPECT_EQ(sample("opzenix_event_stream_events_total"), 8);  // events, not frames
}

TEST_F(EventHubTest, ALogEventCarriesItsLineJoinedFromTheLog) {
  add_execution("e1");
  auto hub = make_hub();
  auto s = stream();
  ASSERT_TRUE(hub->subscribe(s, everything(), std::nullopt).ok());
  add_log("e1", "tests passed");
  ASSERT_TRUE(hub->poll_once().ok());
  std::string out;
  s->take(out);
  EXPECT_NE(out.find("\"message\":\"tests passed\""), std::string::npos) << out;
  EXPECT_NE(out.find("event: logs\n"), std::string::npos) << out;
}

TEST_F(EventHubTest, ReplayThenLiveHasNoGapAndNoDuplicateUnderConcurrentInserts) {
  for (int i = 0; i < 20; ++i) add_execution("before" + std::to_string(i));
  EventHubOptions o;
  o.tail_batch = 5;  // many small reads: many chances to cross the boundary
  o.replay_batch = 7;
  auto hub = make_hub(o);
  const int64_t after = 6;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 150; ++i) {
      const std::string id = "w" + std::to_string(i);
      add_execution(id);
      add_node(id, "build");
      add_log(id, "line");
    }
    done = true;
  });
  auto s = stream();
  Received r;
  ASSERT_TRUE(hub->subscribe(s, everything(), after).ok());
  while (!done) {
    ASSERT_TRUE(hub->poll_once().ok());
    drain(*s, r);
  }
  writer.join();
  for (int i = 0; i < 100 && hub->delivered_id() < last_id(); ++i) {
    ASSERT_TRUE(hub->poll_once().ok());
    drain(*s, r);
  }
  ASSERT_TRUE(hub->poll_once().ok());
  drain(*s, r);
  EXPECT_TRUE(r.resets.empty());
  const auto expected = logged_ids(after);
  ASSERT_EQ(expected.size(), 20u - 6u + 450u);
  EXPECT_EQ(r.ids, expected);
}

TEST_F(EventHubTest, AReplayIsPacedByWhatTheClientDrains) {
  add_execution("e1");
  for (int i = 0; i < 60; ++i) add_log("e1", std::string(100, 'x'));
  EventHubOptions o;
  o.replay_batch = 10;
  auto hub = make_hub(o);
  auto s = stream(2000);  // room for ~5 log frames at a time
  Received r;
  ASSERT_TRUE(hub->subscribe(s, everything(), 0).ok());
  for (int i = 0; i < 200 && r.ids.size() < 61; ++i) {
    ASSERT_TRUE(hub->poll_once().ok());
    drain(*s, r);
  }
  EXPECT_TRUE(r.resets.empty());
  EXPECT_FALSE(r.ended);
  EXPECT_EQ(r.ids, logged_ids(0));
  // Live afterwards.
  add_log("e1", "after");
  ASSERT_TRUE(hub->poll_once().ok());
  drain(*s, r);
  EXPECT_EQ(r.ids, logged_ids(0));
}

TEST_F(EventHubTest, AClientOlderThanRetentionGetsResetThenLiveEvents) {
  for (int i = 0; i < 5; ++i) add_execution("e" + std::to_string(i));
  // Everything is older than "now + 1 h": all pruned.
  ASSERT_TRUE(log_->prune(SystemClock::instance().now() + std::chrono::hours(1)).ok());
  auto hub = make_hub();
  auto s = stream();
  ASSERT_TRUE(hub->subscribe(s, everything(), 2).ok());
  ASSERT_TRUE(hub->poll_once().ok());
  const int64_t before_live = last_id();
  add_execution("live");
  ASSERT_TRUE(hub->poll_once().ok());
  Received r;
  drain(*s, r);
  ASSERT_EQ(r.resets.size(), 1u);
  EXPECT_EQ(r.resets[0], "{\"reason\":\"too_far_behind\",\"last_id\":5}");
  EXPECT_EQ(r.reset_ids[0], 5);
  EXPECT_EQ(r.ids, logged_ids(before_live));
  EXPECT_FALSE(r.ended);
  EXPECT_EQ(resets("too_far_behind"), 1);
}

TEST_F(EventHubTest, AClientJustAtTheRetentionEdgeIsReplayed) {
  for (int i = 0; i < 5; ++i) add_execution("e" + std::to_string(i));
  auto hub = make_hub();
  auto s = stream();
  ASSERT_TRUE(hub->subscribe(s, everything(), 0).ok());  // oldest retained is 1
  ASSERT_TRUE(hub->poll_once().ok());
  Received r;
  drain(*s, r);
  EXPECT_TRUE(r.resets.empty());
  EXPECT_EQ(r.ids, logged_ids(0));
}

TEST_F(EventHubTest, AnIdFromTheFutureGetsResetThenLiveEvents) {
  add_execution("e1");
  auto hub = make_hub();
  auto s = stream();
  ASSERT_TRUE(hub->subscribe(s, everything(), 999).ok());
  ASSERT_TRUE(hub->poll_once().ok());
  add_execution("e2");
  ASSERT_TRUE(hub->poll_once().ok());
  Received r;
  drain(*s, r);
  ASSERT_EQ(r.resets.size(), 1u);
  EXPECT_EQ(r.resets[0], "{\"reason\":\"future_id\",\"last_id\":1}");
  EXPECT_EQ(r.ids, std::vector<int64_t>{2});
}

TEST_F(EventHubTest, ASlowClientIsResetAndDroppedWhileOthersGetEverything) {
  add_execution("e1");
  auto hub = make_hub();
  auto slow = stream(600);
  auto fast = stream();
  const int64_t start = last_id();
  ASSERT_TRUE(hub->subscribe(slow, everything(), std::nullopt).ok());
  ASSERT_TRUE(hub->subscribe(fast, everything(), std::nullopt).ok());
  EXPECT_EQ(hub->client_count(), 2u);
  for (int i = 0; i < 20; ++i) add_log("e1", "line " + std::to_string(i));
  ASSERT_TRUE(hub->poll_once().ok());
  Received s, f;
  drain(*slow, s);
  drain(*fast, f);
  EXPECT_TRUE(s.ended);
  ASSERT_EQ(s.resets.size(), 1u);
  EXPECT_NE(s.resets[0].find("\"reason\":\"slow_client\""), std::string::npos);
  // The reset names the last id the slow client was given: it resumes there.
  EXPECT_EQ(s.reset_ids[0], s.ids.empty() ? start : s.ids.back());
  EXPECT_EQ(f.ids, logged_ids(start));
  EXPECT_EQ(hub->client_count(), 1u);
  EXPECT_EQ(resets("slow_client"), 1);
  EXPECT_EQ(sample("opzenix_event_stream_clients"), 1);
}

TEST_F(EventHubTest, EachLiveClientIsWrittenOnceAndWokenOncePerRead) {
  add_execution("e1");
  std::vector<int> wakes(2, 0);  // outlives the hub, which finishes the streams at its end
  auto hub = make_hub();
  std::vector<std::shared_ptr<http::PushStream>> streams{stream(), stream()};
  const int64_t start = last_id();
  for (size_t i = 0; i < streams.size(); ++i) {
    ASSERT_TRUE(hub->subscribe(streams[i], everything(), std::nullopt).ok());
    std::string preamble;
    streams[i]->take(preamble);
    streams[i]->set_waker([&wakes, i] { ++wakes[i]; });
  }
  for (int i = 0; i < 50; ++i) add_log("e1", "line " + std::to_string(i));
  ASSERT_TRUE(hub->poll_once().ok());
  for (size_t i = 0; i < streams.size(); ++i) {
    EXPECT_EQ(wakes[i], 1) << i;  // 50 events, one write, one wake-up
    Received r;
    drain(*streams[i], r);
    EXPECT_EQ(r.ids, logged_ids(start));
  }
  EXPECT_EQ(sample("opzenix_event_stream_events_total"), 100);
}

TEST_F(EventHubTest, TheNextReadWaitsLongerTheMoreClientsTheLastOneWrote) {
  add_execution("e1");
  EventHubOptions o;
  o.fanout_gap_per_client = std::chrono::microseconds(40);
  o.max_fanout_gap = std::chrono::microseconds(100);
  auto hub = make_hub(o);
  std::vector<std::shared_ptr<http::PushStream>> streams;
  for (int i = 0; i < 2; ++i) {
    streams.push_back(stream());
    ASSERT_TRUE(hub->subscribe(streams.back(), everything(), std::nullopt).ok());
  }
  ASSERT_TRUE(hub->poll_once().ok());
  EXPECT_EQ(hub->fanout_gap().count(), 0);  // nothing was written: no wait
  add_log("e1", "one");
  ASSERT_TRUE(hub->poll_once().ok());
  EXPECT_EQ(hub->fanout_gap().count(), 80);  // 2 clients x 40 us
  streams.push_back(stream());
  ASSERT_TRUE(hub->subscribe(streams.back(), everything(), std::nullopt).ok());
  ASSERT_TRUE(hub->poll_once().ok());  // admits the third
  add_log("e1", "two");
  ASSERT_TRUE(hub->poll_once().ok());
  EXPECT_EQ(hub->fanout_gap().count(), 100);  // 3 x 40 us, capped
}

TEST_F(EventHubTest, HeartbeatsFollowTheClock) {
  EventHubOptions o;
  o.heartbeat_interval = std::chrono::seconds(15);
  auto hub = make_hub(o);
  auto s = stream();
  ASSERT_TRUE(hub->subscribe(s, everything(), std::nullopt).ok());
  Received r;
  ASSERT_TRUE(hub->poll_once().ok());
  clock_.advance(std::chrono::seconds(14));
  ASSERT_TRUE(hub->poll_once().ok());
  drain(*s, r);
  EXPECT_EQ(r.heartbeats, 0);
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(hub->poll_once().ok());
  ASSERT_TRUE(hub->poll_once().ok());
  drain(*s, r);
  EXPECT_EQ(r.heartbeats, 1);
  clock_.advance(std::chrono::seconds(15));
  ASSERT_TRUE(hub->poll_once().ok());
  drain(*s, r);
  EXPECT_EQ(r.heartbeats, 2);
}

TEST_F(EventHubTest, ACancelledClientIsForgotten) {
  auto hub = make_hub();
  auto s = stream();
  ASSERT_TRUE(hub->subscribe(s, everything(), std::nullopt).ok());
  ASSERT_TRUE(hub->poll_once().ok());
  EXPECT_EQ(hub->client_count(), 1u);
  s->cancel();  // the transport: the client went away
  add_execution("e1");
  ASSERT_TRUE(hub->poll_once().ok());
  EXPECT_EQ(hub->client_count(), 0u);
  EXPECT_EQ(resets("slow_client"), 0);
}

TEST_F(EventHubTest, EachClientGetsOnlyWhatItsFilterPasses) {
  auto hub = make_hub();
  auto alice = stream();
  auto bob = stream();
  TopicSet notifications;
  notifications.add(Topic::kNotifications);
  ASSERT_TRUE(hub->subscribe(alice,
                             StreamFilter::make(notifications, {}, {"alice", auth::Role::kViewer})
                                 .value(),
                             std::nullopt)
                  .ok());
  ASSERT_TRUE(hub->subscribe(bob, everything("bob", auth::Role::kViewer), 0).ok());
  add_execution("e1");
  notify_user("n1", "alice");
  notify_user("n2", "bob");
  ASSERT_TRUE(hub->poll_once().ok());
  Received a, b;
  drain(*alice, a);
  drain(*bob, b);
  EXPECT_EQ(a.ids, logged_ids(0, "topic = 'notifications' AND user_id = 'alice'"));
  EXPECT_EQ(b.ids, logged_ids(0, "topic <> 'notifications' OR user_id = 'bob'"));
  EXPECT_EQ(a.ids.size(), 1u);
  EXPECT_EQ(b.ids.size(), 2u);
}

TEST_F(EventHubTest, StoppingFinishesEveryStreamAndRefusesNewClients) {
  auto hub = make_hub();
  auto s = stream();
  ASSERT_TRUE(hub->subscribe(s, everything(), std::nullopt).ok());
  hub->stop();
  EXPECT_TRUE(s->closed());
  EXPECT_EQ(hub->subscribe(stream(), everything(), std::nullopt).error().code,
            ErrorCode::kUnavailable);
}

TEST_F(EventHubTest, TheTailThreadDeliversWithoutBeingPolledByHand) {
  EventHubOptions o;
  o.poll_interval = std::chrono::milliseconds(1);
  EventHub hub(*log_, clock_, o, &metrics_);
  ASSERT_TRUE(hub.start().ok());
  auto s = stream();
  ASSERT_TRUE(hub.subscribe(s, everything(), std::nullopt).ok());
  add_execution("e1");
  hub.notify();
  // Waits on the stream's own waker, not on time.
  std::mutex mu;
  std::condition_variable cv;
  bool woken = false;
  s->set_waker([&] {
    std::lock_guard lock(mu);
    woken = true;
    cv.notify_all();
  });
  Received r;
  for (int i = 0; i < 1000 && r.ids.empty(); ++i) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::milliseconds(10), [&] { return woken; });
    woken = false;
    lock.unlock();
    drain(*s, r);
  }
  EXPECT_EQ(r.ids, logged_ids(0));
  hub.stop();
}

}  // namespace
}  // namespace opz::realtime
