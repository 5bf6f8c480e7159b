#include "telemetry/otlp_export_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace opz::telemetry {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A transport that records what it was asked to send and answers from a script.
struct RecordingSend {
  std::vector<std::string> sent;  // trace ids, in order
  std::deque<SendOutcome> answers;
  SendOutcome operator()(const ExportBatch& b) {
    sent.push_back(b.trace_id);
    if (answers.empty()) return {SendVerdict::kDelivered, ""};
    SendOutcome o = answers.front();
    answers.pop_front();
    return o;
  }
};

class OtlpExportQueueTest : public ::testing::Test {
 protected:
  OtlpExportQueue make(size_t capacity = 4, int max_attempts = 4) {
    ExportQueueOptions o;
    o.capacity = capacity;
    o.initial_backoff = seconds(1);
    o.max_backoff = seconds(4);
    o.max_attempts = max_attempts;
    return OtlpExportQueue(o, ExportCounters{&exported, &rejected, &dropped, &failed});
  }
  OtlpExportQueue::Send via(RecordingSend& s) {
    return [&s](const ExportBatch& b) { return s(b); };
  }
  ManualClock clock;
  Counter exported, rejected, dropped, failed;
};

TEST(OtlpVerdictTest, StatusesMapToDeliveredRetryOrReject) {
  EXPECT_EQ(verdict_for_http_status(200), SendVerdict::kDelivered);
  EXPECT_EQ(verdict_for_http_status(204), SendVerdict::kDelivered);
  EXPECT_EQ(verdict_for_http_status(500), SendVerdict::kRetry);
  EXPECT_EQ(verdict_for_http_status(503), SendVerdict::kRetry);
  EXPECT_EQ(verdict_for_http_status(429), SendVerdict::kRetry);
  EXPECT_EQ(verdict_for_http_status(408), SendVerdict::kRetry);
  EXPECT_EQ(verdict_for_http_status(400), SendVerdict::kReject);
  EXPECT_EQ(verdict_for_http_status(401), SendVerdict::kReject);
  EXPECT_EQ(verdict_for_http_status(404), SendVerdict::kReject);
  EXPECT_EQ(verdict_for_http_status(302), SendVerdict::kReject);
}

TEST_F(OtlpExportQueueTest, DeliversInOrderAndCountsSpans) {
  auto q = make();
  q.push({"t1", "{}", 3}, clock.now());
  q.push({"t2", "{}", 2}, clock.now());
  RecordingSend send;
  SendReport r = q.send_due(clock.now(), via(send));
  EXPECT_EQ(r.delivered, 2);
  EXPECT_EQ(send.sent, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(exported.value(), 5);
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.next_due().has_value());
}

TEST_F(OtlpExportQueueTest, RetriesWithExponentialBackoffHoldingTheQueueBehindTheHead) {
  auto q = make();
  q.push({"t1", "{}", 3}, clock.now());
  q.push({"t2", "{}", 1}, clock.now());
  RecordingSend send;
  send.answers = {{SendVerdict::kRetry, "HTTP 503"}, {SendVerdict::kRetry, "connection refused"}};

  SendReport r = q.send_due(clock.now(), via(send));
  EXPECT_EQ(r.retried, 1);
  EXPECT_EQ(r.last_problem, "HTTP 503");
  EXPECT_EQ(send.sent, (std::vector<std::string>{"t1"}));  // t2 waits behind it
  ASSERT_TRUE(q.next_due().has_value());
  EXPECT_EQ(*q.next_due(), clock.now() + seconds(1));

  clock.advance(milliseconds(999));
  q.send_due(clock.now(), via(send));
  EXPECT_EQ(send.sent.size(), 1u);  // not due yet

  clock.advance(milliseconds(1));
  q.send_due(clock.now(), via(send));  // second failure: 2 s
  EXPECT_EQ(*q.next_due(), clock.now() + seconds(2));

  clock.advance(seconds(2));
  r = q.send_due(clock.now(), via(send));  // both go
  EXPECT_EQ(r.delivered, 2);
  EXPECT_EQ(send.sent, (std::vector<std::string>{"t1", "t1", "t1", "t2"}));
  EXPECT_EQ(exported.value(), 4);
  EXPECT_EQ(failed.value(), 0);
}

TEST_F(OtlpExportQueueTest, RejectedTracesAreDroppedAndCountedAndTheNextOneGoes) {
  auto q = make();
  q.push({"t1", "{}", 3}, clock.now());
  q.push({"t2", "{}", 2}, clock.now());
  RecordingSend send;
  send.answers = {{SendVerdict::kReject, "HTTP 400"}};
  SendReport r = q.send_due(clock.now(), via(send));
  EXPECT_EQ(r.rejected, 1);
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(rejected.value(), 3);
  EXPECT_EQ(exported.value(), 2);
}

TEST_F(OtlpExportQueueTest, GivesUpAfterMaxAttempts) {
  auto q = make(4, 3);
  q.push({"t1", "{}", 5}, clock.now());
  RecordingSend send;
  for (int i = 0; i < 3; ++i) send.answers.push_back({SendVerdict::kRetry, "HTTP 500"});
  for (int i = 0; i < 3; ++i) {
    q.send_due(clock.now(), via(send));
    clock.advance(seconds(4));
  }
  EXPECT_EQ(send.sent.size(), 3u);
  EXPECT_EQ(failed.value(), 5);
  EXPECT_EQ(q.size(), 0u);
}

TEST_F(OtlpExportQueueTest, AFullQueueDropsTheOldest) {
  auto q = make(2);
  EXPECT_TRUE(q.push({"t1", "{}", 1}, clock.now()));
  EXPECT_TRUE(q.push({"t2", "{}", 2}, clock.now()));
  EXPECT_FALSE(q.push({"t3", "{}", 4}, clock.now()));
  EXPECT_EQ(dropped.value(), 1);
  RecordingSend send;
  q.send_due(clock.now(), via(send));
  EXPECT_EQ(send.sent, (std::vector<std::string>{"t2", "t3"}));
}

TEST_F(OtlpExportQueueTest, SendAllOnceTriesEveryTraceOnceAndEmptiesTheQueue) {
  auto q = make();
  q.push({"t1", "{}", 1}, clock.now());
  q.push({"t2", "{}", 2}, clock.now());
  RecordingSend send;
  send.answers = {{SendVerdict::kRetry, "HTTP 503"}};
  q.send_due(clock.now(), via(send));  // t1 now waits for its backoff
  SendReport r = q.send_all_once(via(send));
  EXPECT_EQ(send.sent, (std::vector<std::string>{"t1", "t1", "t2"}));
  EXPECT_EQ(r.delivered, 2);
  EXPECT_EQ(q.size(), 0u);

  q.push({"t3", "{}", 7}, clock.now());
  send.answers = {{SendVerdict::kRetry, "HTTP 503"}};
  r = q.send_all_once(via(send));
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(failed.value(), 7);
  EXPECT_EQ(q.size(), 0u);
}

}  // namespace
}  // namespace opz::telemetry
