// OtlpExportQueue: the delivery policy of the OTLP trace export — a bounded
// FIFO of encoded traces, sent one at a time through a caller-given send
// function, retried with exponential backoff (core/backoff.h), counted.
//
// Policy:
//   - push(): when the queue holds `capacity` traces the OLDEST is dropped
//     (counted as "dropped"): a receiver that is down for long loses the old
//     traces, never the server's memory.
//   - send_due(now, send): sends the head while it is due. A delivered trace
//     counts as "exported"; a refused one (4xx other than 408/429: the body
//     will not get better) is dropped and counts as "rejected"; a retryable
//     failure (no answer, 5xx, 408, 429) keeps the head and makes it due again
//     after exponential_backoff(attempt, initial_backoff, max_backoff) — the
//     whole queue waits behind it (head-of-line), since the receiver is what
//     fails, not the trace; after max_attempts it is dropped as "failed".
//   - Counters count spans (what a trace backend counts), by result:
//     exported | rejected | dropped | failed.
// No clock, no thread: time comes in as `now`, so tests drive it with a
// ManualClock. Not thread-safe: one owner (the exporter's thread) calls it.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "telemetry/metrics.h"

namespace opz::telemetry {

struct ExportBatch {
  std::string trace_id;  // for log lines
  std::string body;      // the OTLP JSON request
  int spans = 0;
};

enum class SendVerdict { kDelivered, kRetry, kReject };

struct SendOutcome {
  SendVerdict verdict = SendVerdict::kDelivered;
  std::string detail;  // why it was refused or failed ("HTTP 503", "connection refused")
};

// The verdict for an HTTP answer's status (2xx delivered; 408, 429 and 5xx retry;
// anything else refused).
SendVerdict verdict_for_http_status(long status);

struct ExportQueueOptions {
  size_t capacity = 256;  // traces waiting; >= 1
  Millis initial_backoff{1000};
  Millis max_backoff{60000};
  int max_attempts = 8;  // sends of one trace before it is given up
};

// Span counters by result; null members are not counted.
struct ExportCounters {
  Counter* exported = nullptr;
  Counter* rejected = nullptr;
  Counter* dropped = nullptr;
  Counter* failed = nullptr;
};

// What one send_due() pass did, for the exporter's log lines.
struct SendReport {
  int delivered = 0;
  int retried = 0;
  int rejected = 0;
  int failed = 0;
  std::string last_problem;  // the last retry's or refusal's detail
};

class OtlpExportQueue {
 public:
  using Send = std::function<SendOutcome(const ExportBatch&)>;

  OtlpExportQueue(ExportQueueOptions options, ExportCounters counters);

  // Queues `batch`, due at once; answers false when the oldest trace was dropped for it.
  bool push(ExportBatch batch, TimePoint now);
  // When the head is due; none when the queue is empty.
  std::optional<TimePoint> next_due() const;
  size_t size() const { return queue_.size(); }

  // Sends the head while it is due at `now` (see the policy above).
  SendReport send_due(TimePoint now, const Send& send);
  // One send of every queued trace whatever its time, no retries: the last
  // pass at shutdown. The queue ends empty; what was not delivered counts as
  // "rejected" or "failed".
  SendReport send_all_once(const Send& send);

 private:
  struct Entry {
    ExportBatch batch;
    int attempts = 0;
    TimePoint due;
  };
  static void count(Counter* counter, int spans);
  // Sends the head once and applies the verdict; true when it left the queue.
  bool send_head(TimePoint now, const Send& send, SendReport& report);

  ExportQueueOptions options_;
  ExportCounters counters_;
  std::deque<Entry> queue_;
};

}  // namespace opz::telemetry
