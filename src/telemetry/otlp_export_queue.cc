#include "telemetry/otlp_export_queue.h"

#include <algorithm>
#include <utility>

#include "core/backoff.h"

namespace opz::telemetry {

SendVerdict verdict_for_http_status(long status) {
  if (status >= 200 && status < 300) return SendVerdict::kDelivered;
  if (status == 408 || status == 429 || status >= 500) return SendVerdict::kRetry;
  return SendVerdict::kReject;
}

OtlpExportQueue::OtlpExportQueue(ExportQueueOptions options, ExportCounters counters)
    : options_(options), counters_(counters) {
  options_.capacity = std::max<size_t>(1, options_.capacity);
  options_.max_attempts = std::max(1, options_.max_attempts);
}

void OtlpExportQueue::count(Counter* counter, int spans) {
  if (counter) counter->inc(spans);
}

bool OtlpExportQueue::push(ExportBatch batch, TimePoint now) {
  bool kept_all = true;
  if (queue_.size() >= options_.capacity) {
    count(counters_.dropped, queue_.front().batch.spans);
    queue_.pop_front();
    kept_all = false;
  }
  queue_.push_back(Entry{std::move(batch), 0, now});
  return kept_all;
}

std::optional<TimePoint> OtlpExportQueue::next_due() const {
  if (queue_.empty()) return std::nullopt;
  return queue_.front().due;
}

bool OtlpExportQueue::send_head(TimePoint now, const Send& send, SendReport& report) {
  Entry& head = queue_.front();
  ++head.attempts;
  SendOutcome outcome = send(head.batch);
  switch (outcome.verdict) {
    case SendVerdict::kDelivered:
      count(counters_.exported, head.batch.spans);
      ++report.delivered;
      queue_.pop_front();
      return true;
    case SendVerdict::kReject:
      count(counters_.rejected, head.batch.spans);
      ++report.rejected;
      report.last_problem = std::move(outcome.detail);
      queue_.pop_front();
      return true;
    case SendVerdict::kRetry:
      report.last_problem = std::move(outcome.detail);
      if (head.attempts >= options_.max_attempts) {
        count(counters_.failed, head.batch.spans);
        ++report.failed;
        queue_.pop_front();
        return true;
      }
      ++report.retried;
      head.due = now + exponential_backoff(head.attempts, options_.initial_backoff,
                                           options_.max_backoff);
      return false;
  }
  return false;
}

SendReport OtlpExportQueue::send_due(TimePoint now, const Send& send) {
  SendReport report;
  while (!queue_.empty() && queue_.front().due <= now) {
    if (!send_head(now, send, report)) break;  // the head waits out its backoff
  }
  return report;
}

SendReport OtlpExportQueue::send_all_once(const Send& send) {
  SendReport report;
  while (!queue_.empty()) {
    Entry& head = queue_.front();
    head.attempts = std::max(head.attempts, options_.max_attempts - 1);  // this is the last try
    send_head(head.due, send, report);
  }
  return report;
}

}  // namespace opz::telemetry
