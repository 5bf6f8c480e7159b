#include "app/trace_exporter.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <vector>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/execution_store.h"
#include "support/temp_dir.h"

namespace opz::app {
namespace {

using std::chrono::seconds;

struct SentRequest {
  std::string url;
  HeaderList headers;
  Json body;
};

// A transport that records each request and answers from a script (200 when it runs out).
struct RecordingTransport {
  std::mutex mu;
  std::vector<SentRequest> sent;
  std::deque<Result<long>> answers;
  std::chrono::nanoseconds clock_per_call{0};  // how far each call moves the test's clock
};

class TraceExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(store::Database::open_sqlite({.path = dir_.str() + "/t.db"})).value();
    ASSERT_TRUE(db_->migrate().ok());
  }

  std::unique_ptr<TraceExporter> make_exporter(TraceExporterOptions options = {}) {
    if (options.endpoint.empty()) options.endpoint = "http://collector.example:4318";
    options.queue.initial_backoff = seconds(1);
    options.queue.max_backoff = seconds(8);
    options.source.max_log_lines_per_node = 2;
    TraceTransport transport = [t = transport_, clock = &clock_](
                                   const std::string& url, const HeaderList& headers,
                                   const std::string& body) -> Result<long> {
      std::lock_guard lock(t->mu);
      clock->advance(t->clock_per_call);
      t->sent.push_back({url, headers, Json::parse(body)});
      if (t->answers.empty()) return 200L;
      Result<long> answer = t->answers.front();
      t->answers.pop_front();
      return answer;
    };
    auto exporter = TraceExporter::create(
        TraceExporterDeps{*db_, bus_, clock_, metrics_, std::move(transport)}, options);
    EXPECT_TRUE(exporter.ok()) << exporter.error().message;
    return std::move(exporter).value();
  }

  std::string at(int seconds_after) {
    return format_time(TimePoint{std::chrono::seconds{1700000000 + seconds_after}});
  }

  // A finished execution: node "build" succeeded; node "test" failed once,
  // was retried and succeeded; 3 log lines on "test".
  std::string add_finished_execution(const std::string& status = "success") {
    store::ExecutionRecord e;
    e.id = new_uuid();
    e.name = "demo";
    e.status = "running";
    e.environment = "Staging";
    e.branch = "main";
    e.commit_hash = "abc123";
    e.trigger_type = "manual";
    e.started_at = e.created_at = e.updated_at = at(0);
    std::vector<store::ExecutionNodeRecord> rows;
    for (const std::string node : {"build", "test"}) {
      store::ExecutionNodeRecord n;
      n.id = new_uuid();
      n.execution_id = e.id;
      n.node_id = node;
      n.name = node;
      n.type = node;
      n.status = "pending";
      n.max_attempts = 2;
      n.position = static_cast<int>(rows.size());
      n.created_at = n.updated_at = at(0);
      rows.push_back(n);
    }
    EXPECT_TRUE(store::ExecutionStore(*db_).create(e, rows).ok());
    store::ExecutionStore executions(*db_);
    auto move = [&](store::ExecutionNodeRecord& n, const std::string& to, int when,
                    const std::string& reason = "") {
      store::ExecutionBatch batch;
      batch.at = at(when);
      const std::string from = n.status;
      n.status = to;
      if (to == "running") {
        ++n.attempt;
        n.started_at = at(when);
      }
      if (to == "success" || to == "failed") {
        n.completed_at = at(when);
        n.exit_code = to == "success" ? 0 : 1;
      }
      batch.changes.push_back(store::NodeChange{n, from, reason});
      if (to == "running" && n.node_id == "test") {
        for (int i = 0; i < 3; ++i)
          batch.logs.push_back({0, e.id, "test", n.attempt, "stdout", "info",
                                "line " + std::to_string(i) + " of attempt " +
                                    std::to_string(n.attempt),
                                at(when)});
      }
      ASSERT_TRUE(executions.apply(batch).ok());
    };
    move(rows[0], "running", 1);
    move(rows[0], "success", 2);
    move(rows[1], "running", 2);
    move(rows[1], "failed", 3, "exit code 1");
    move(rows[1], "pending", 3, "retry");
    move(rows[1], "running", 5);
    move(rows[1], "success", 7);
    store::ExecutionBatch done;
    done.at = at(8);
    store::ExecutionRecord finished = e;
    finished.status = status;
    finished.completed_at = at(8);
    finished.progress = 100;
    done.changes.push_back(store::ExecutionChange{finished, "running", "all nodes done"});
    EXPECT_TRUE(executions.apply(done).ok());
    return e.id;
  }

  void publish(const std::string& id, const std::string& from, const std::string& to) {
    engine::EngineEvent ev;
    ev.kind = engine::EventKind::kExecutionState;
    ev.execution_id = id;
    ev.old_state = from;
    ev.new_state = to;
    ev.at = clock_.now();
    bus_.publish(std::move(ev));
  }

  std::vector<SentRequest> sent() {
    std::lock_guard lock(transport_->mu);
    return transport_->sent;
  }
  std::string metrics() { return metrics_.render(); }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  engine::EventBus bus_;
  ManualClock clock_;
  telemetry::MetricsRegistry metrics_;
  std::shared_ptr<RecordingTransport> transport_ = std::make_shared<RecordingTransport>();
};

const Json* span_named(const Json& spans, const std::string& name) {
  for (const Json& s : spans)
    if (s["name"] == name) return &s;
  return nullptr;
}

TEST_F(TraceExporterTest, AFinishedExecutionIsSentAsOneTraceWithItsNodesAttemptsAndLogs) {
  TraceExporterOptions options;
  options.headers = {{"Authorization", "Bearer x"}};
  auto exporter = make_exporter(options);
  const std::string id = add_finished_execution();
  publish(id, "running", "success");
  EXPECT_EQ(exporter->process_pending(), 1);

  auto requests = sent();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "http://collector.example:4318/v1/traces");
  EXPECT_EQ(requests[0].headers, (HeaderList{{"Authorization", "Bearer x"}}));
  const Json& spans = requests[0].body["resourceSpans"][0]["scopeSpans"][0]["spans"];
  ASSERT_EQ(spans.size(), 3u);
  const Json* root = span_named(spans, "demo");
  const Json* test = span_named(spans, "test");
  ASSERT_TRUE(root && test);
  EXPECT_EQ((*root)["traceId"], *telemetry::otlp_trace_id(id));
  EXPECT_EQ((*root)["status"]["code"], 1);
  EXPECT_EQ((*test)["parentSpanId"], (*root)["spanId"]);
  // The span covers both attempts: from the first start (t+2 s) to the end (t+7 s).
  EXPECT_EQ((*test)["startTimeUnixNano"], "1700000002000000000");
  EXPECT_EQ((*test)["endTimeUnixNano"], "1700000007000000000");
  // Two attempts (started + finished each), then the last 2 of 6 log lines.
  ASSERT_EQ((*test)["events"].size(), 6u);
  EXPECT_EQ((*test)["events"][1]["name"], "attempt.finished");
  EXPECT_EQ((*test)["events"][1]["attributes"][1]["value"]["stringValue"], "failed");
  EXPECT_EQ((*test)["events"][5]["attributes"][0]["value"]["stringValue"], "line 2 of attempt 2");
  EXPECT_EQ((*test)["droppedEventsCount"], 4);
  EXPECT_NE(metrics().find("opzenix_otlp_export_spans_total{result=\"exported\"} 3"),
            std::string::npos)
      << metrics();
}

TEST_F(TraceExporterTest, OnlyFinalStatesAreExported) {
  auto exporter = make_exporter();
  const std::string id = add_finished_execution();
  publish(id, "idle", "running");
  publish(id, "running", "paused");
  EXPECT_EQ(exporter->process_pending(), 0);
  EXPECT_TRUE(sent().empty());
  publish(id, "running", "failed");
  EXPECT_EQ(exporter->process_pending(), 1);
}

TEST_F(TraceExporterTest, RetriesOnServerErrorsAndNoAnswerWithBackoffThenDelivers) {
  auto exporter = make_exporter();
  transport_->answers = {503L, Error::unavailable("connection refused"), 200L};
  const std::string id = add_finished_execution();
  publish(id, "running", "success");
  EXPECT_EQ(exporter->process_pending(), 0);
  EXPECT_EQ(exporter->queued_traces(), 1u);
  clock_.advance(std::chrono::milliseconds(999));
  exporter->process_pending();
  EXPECT_EQ(sent().size(), 1u);  // the first backoff is 1 s
  clock_.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(exporter->process_pending(), 0);  // connection refused: next in 2 s
  clock_.advance(seconds(2));
  EXPECT_EQ(exporter->process_pending(), 1);
  EXPECT_EQ(sent().size(), 3u);
  EXPECT_EQ(sent()[0].body, sent()[2].body);  // the same trace, byte for byte
  EXPECT_EQ(exporter->queued_traces(), 0u);
}

TEST_F(TraceExporterTest, ClientErrorsAndGuardRefusalsDropTheTraceAndCountIt) {
  auto exporter = make_exporter();
  transport_->answers = {400L, Error::validation("refused: loopback", "otlp-export-endpoint")};
  publish(add_finished_execution(), "running", "success");
  publish(add_finished_execution("failed"), "running", "failed");
  EXPECT_EQ(exporter->process_pending(), 0);
  EXPECT_EQ(sent().size(), 2u);
  EXPECT_EQ(exporter->queued_traces(), 0u);
  EXPECT_NE(metrics().find("opzenix_otlp_export_spans_total{result=\"rejected\"} 6"),
            std::string::npos)
      << metrics();
}

TEST_F(TraceExporterTest, StopSendsWhatIsStillQueuedOnce) {
  auto exporter = make_exporter();
  transport_->answers = {503L};
  publish(add_finished_execution(), "running", "success");
  exporter->process_pending();
  EXPECT_EQ(exporter->queued_traces(), 1u);
  exporter->stop();
  EXPECT_EQ(sent().size(), 2u);
  EXPECT_EQ(exporter->queued_traces(), 0u);
}

TEST_F(TraceExporterTest, StopGivesUpWhenItsBudgetIsSpent) {
  TraceExporterOptions options;
  options.shutdown_budget = seconds(5);
  auto exporter = make_exporter(options);
  transport_->answers = {503L};
  publish(add_finished_execution(), "running", "success");
  publish(add_finished_execution(), "running", "success");
  exporter->process_pending();  // the first one fails: both wait
  ASSERT_EQ(exporter->queued_traces(), 2u);
  transport_->clock_per_call = seconds(6);  // a receiver that takes its time
  exporter->stop();
  EXPECT_EQ(sent().size(), 2u);  // the first again (delivered); the budget is spent before the second
  EXPECT_EQ(exporter->queued_traces(), 0u);
  EXPECT_NE(metrics().find("opzenix_otlp_export_spans_total{result=\"exported\"} 3"),
            std::string::npos)
      << metrics();
  EXPECT_NE(metrics().find("opzenix_otlp_export_spans_total{result=\"failed\"} 3"),
            std::string::npos)
      << metrics();
}

TEST_F(TraceExporterTest, RequiresAnEndpoint) {
  TraceExporterOptions options;
  auto exporter = TraceExporter::create(
      TraceExporterDeps{*db_, bus_, clock_, metrics_, [](auto&, auto&, auto&) -> Result<long> {
                          return 200L;
                        }},
      options);
  ASSERT_FALSE(exporter.ok());
  EXPECT_EQ(exporter.error().field, "otlp-export-endpoint");
}

TEST(AttemptsFromStateEventsTest, EachRunIsAnAttemptEndedByTheNextStateOutOfRunning) {
  std::vector<store::StateEventRecord> events = {
      {"1", "e", "a", "pending", "running", "", "2024-01-01T00:00:01.000Z"},
      {"2", "e", "b", "pending", "running", "", "2024-01-01T00:00:01.500Z"},
      {"3", "e", "a", "running", "pending", "retry", "2024-01-01T00:00:02.000Z"},
      {"4", "e", "a", "pending", "running", "", "2024-01-01T00:00:04.000Z"},
  };
  auto attempts = attempts_from_state_events(events, "a");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].number, 1);
  EXPECT_EQ(attempts[0].outcome, "pending");
  EXPECT_EQ(attempts[0].reason, "retry");
  ASSERT_TRUE(attempts[0].ended.has_value());
  EXPECT_EQ(attempts[1].number, 2);
  EXPECT_FALSE(attempts[1].ended.has_value());  // still running when the events end
}

}  // namespace
}  // namespace opz::app
