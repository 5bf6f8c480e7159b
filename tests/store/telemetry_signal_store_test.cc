#include "store/telemetry_signal_store.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class TelemetrySignalStoreTest : public MigratedDbTest {
 protected:
  TelemetrySignalRecord span(const std::string& trace, const std::string& execution = "") {
    TelemetrySignalRecord s;
    s.signal_type = "span";
    s.otel_trace_id = trace;
    s.otel_span_id = "eee19b7ec3c1b174";
    s.execution_id = execution;
    s.duration_ms = 1250;
    s.status_code = "OK";
    s.severity = "info";
    s.environment = "production";
    s.payload = Json{{"name", "build"}, {"attributes", {{"retries", 3}}}};
    return s;
  }
  Page<TelemetrySignalRecord> list(const TelemetrySignalFilter& f, int limit = 50,
                                   const std::string& cursor = "") {
    auto page = TelemetrySignalStore(*db_, clock_).list(f, PageRequest{cursor, limit});
    EXPECT_TRUE(page) << page.error().to_string();
    return page ? *page : Page<TelemetrySignalRecord>{};
  }
};

TEST_F(TelemetrySignalStoreTest, StoresEveryColumnAndReadsItBack) {
  TelemetrySignalStore store(*db_, clock_);
  TelemetrySignalRecord log;
  log.signal_type = "log";
  log.severity = "error";
  ASSERT_EQ(*store.insert({span("t1", "exec-1"), log}), 2);
  auto spans = list({.otel_trace_id = "t1"});
  ASSERT_EQ(spans.items.size(), 1u);
  const auto& s = spans.items[0];
  EXPECT_EQ(s.id.size(), 36u);
  EXPECT_EQ(s.signal_type, "span");
  EXPECT_EQ(s.execution_id, "exec-1");
  EXPECT_EQ(s.otel_span_id, "eee19b7ec3c1b174");
  EXPECT_EQ(s.duration_ms, 1250);
  EXPECT_EQ(s.status_code, "OK");
  EXPECT_EQ(s.environment, "production");
  EXPECT_EQ(s.payload["attributes"]["retries"], 3);
  EXPECT_EQ(s.created_at, format_time(clock_.now()));
  auto logs = list({.signal_type = "log"});
  ASSERT_EQ(logs.items.size(), 1u);
  EXPECT_FALSE(logs.items[0].duration_ms.has_value());
  EXPECT_EQ(logs.items[0].otel_trace_id, "");
}

TEST_F(TelemetrySignalStoreTest, ABatchWithOneBadRowStoresNothing) {
  TelemetrySignalStore store(*db_, clock_);
  TelemetrySignalRecord bad = span("t2");
  bad.signal_type = "bogus";  // refused by the table's CHECK
  EXPECT_FALSE(store.insert({span("t2"), span("t2"), bad}));
  EXPECT_TRUE(list({.otel_trace_id = "t2"}).items.empty());
}

TEST_F(TelemetrySignalStoreTest, FiltersCombineAndTimeRangesUseReceiptTime) {
  TelemetrySignalStore store(*db_, clock_);
  ASSERT_TRUE(store.insert({span("a", "e1"), span("b", "e1")}));
  const std::string between = format_time(clock_.now() + std::chrono::seconds(30));
  clock_.advance(std::chrono::minutes(1));
  ASSERT_TRUE(store.insert({span("a", "e2")}));
  EXPECT_EQ(list({.execution_id = "e1"}).items.size(), 2u);
  EXPECT_EQ(list({.otel_trace_id = "a", .execution_id = "e1"}).items.size(), 1u);
  EXPECT_EQ(list({.otel_trace_id = "a", .from = between}).items[0].execution_id, "e2");
  EXPECT_EQ(list({.otel_trace_id = "a", .to = between}).items[0].execution_id, "e1");
  EXPECT_TRUE(list({.signal_type = "metric"}).items.empty());
}

TEST_F(TelemetrySignalStoreTest, PagesNewestFirstWithACursor) {
  TelemetrySignalStore store(*db_, clock_);
  for (int i = 0; i < 5; ++i) {
    TelemetrySignalRecord s = span("t");
    s.payload = Json{{"i", i}};
    ASSERT_TRUE(store.insert({s}));
    clock_.advance(std::chrono::seconds(1));
  }
  auto first = list({.otel_trace_id = "t"}, 2);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].payload["i"], 4);
  ASSERT_TRUE(first.next_cursor);
  auto second = list({.otel_trace_id = "t"}, 2, *first.next_cursor);
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_EQ(second.items[0].payload["i"], 2);
  auto last = list({.otel_trace_id = "t"}, 2, *second.next_cursor);
  ASSERT_EQ(last.items.size(), 1u);
  EXPECT_EQ(last.items[0].payload["i"], 0);
  EXPECT_FALSE(last.next_cursor);
}

}  // namespace
}  // namespace opz::store
