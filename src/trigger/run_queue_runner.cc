#include "trigger/run_queue_runner.h"

#include <spdlog/spdlog.h>

namespace opz::trigger {

RunQueueRunner::RunQueueRunner(RunQueueRunnerDeps deps, RunQueueRunnerOptions options)
    : d_(std::move(deps)), options_(options), queue_(d_.db, d_.clock) {}

RunQueueRunner::~RunQueueRunner() { stop(); }

void RunQueueRunner::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  woken_ = true;  // rows queued before the start are drained at once
  thread_ = std::thread([this] { loop(); });
}

void RunQueueRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RunQueueRunner::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void RunQueueRunner::loop() {
  bool retry = false;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      auto ready = [this] { return woken_ || stopping_; };
      if (retry)
        cv_.wait_for(lock, options_.retry_after, ready);
      else
        cv_.wait(lock, ready);
      if (stopping_) return;
      woken_ = false;
    }
    auto report = drain();
    if (!report) spdlog::warn("build queue: cannot drain: {}", report.error().to_string());
    retry = !report || report->deferred > 0;
  }
}

Result<DrainReport> RunQueueRunner::drain() {
  std::lock_guard lock(drain_mu_);
  DrainReport report;
  for (;;) {
    OPZ_TRY(std::vector<store::RunQueueRecord> rows, queue_.queued(options_.batch));
    const int before = report.dispatched + report.failed;
    for (const auto& row : rows) OPZ_TRY_STATUS(handle(row, report));
    // A full batch with progress may hide more rows; deferred rows stay
    // queued, so a batch of only those ends the pass.
    if (static_cast<int>(rows.size()) < options_.batch ||
        report.dispatched + report.failed == before)
      return report;
  }
}

Status RunQueueRunner::handle(const store::RunQueueRecord& row, DrainReport& report) {
  // The mark may find the row already handled (another process, or a drain
  // that was interrupted): that is its answer, not an error.
  auto marked = [&](Status st, int& counter) -> Status {
    if (st.ok()) {
      ++counter;
      return {};
    }
    if (st.error().code == ErrorCode::kConflict) return {};
    return st;
  };
  OPZ_TRY(std::optional<std::string> earlier, queue_.execution_for(row));
  if (earlier) return marked(queue_.mark_dispatched(row.id, *earlier), report.dispatched);

  auto refuse = [&](const Error& e) -> Status {
    if (e.code == ErrorCode::kUnavailable) {
      ++report.deferred;
      return {};
    }
    spdlog::info("build queue: build {} of project {} failed: {}", row.id, row.project_id,
                 e.message);
    return marked(queue_.mark_failed(row.id, e.message), report.failed);
  };
  auto request = d_.build_request(row);
  if (!request) return refuse(request.error());
  request->execution.metadata["ops_build_id"] = row.id;
  auto execution = d_.submitter.submit(std::move(*request));
  if (!execution) return refuse(execution.error());
  spdlog::info("build queue: build {} of project {} is execution {} ({})", row.id, row.project_id,
               execution->id, execution->status);
  return marked(queue_.mark_dispatched(row.id, execution->id), report.dispatched);
}

}  // namespace opz::trigger
