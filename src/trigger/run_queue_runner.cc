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

namespace {

// A row another drain (or process) already moved is not an error: it is done.
Status counted(Status st, int& counter) {
  if (st.ok()) {
    ++counter;
    return {};
  }
  if (st.error().code == ErrorCode::kConflict) return {};
  return st;
}

}  // namespace

Status RunQueueRunner::handle(const store::RunQueueRecord& row, DrainReport& report) {
  OPZ_TRY(std::optional<std::string> earlier, queue_.execution_for(row));
  if (earlier) return dispatched(row, *earlier, report);

  auto refuse = [&](const Error& e) -> Status {
    if (e.code != ErrorCode::kUnavailable) return failed(row, e.message, report);
    ++report.deferred;
    return {};
  };
  auto request = d_.build_request(row);
  if (!request) return refuse(request.error());
  request->execution.metadata["ops_build_id"] = row.id;
  auto execution = d_.submitter.submit(std::move(*request));
  if (!execution) return refuse(execution.error());
  spdlog::info("build queue: build {} of project {} is execution {} ({})", row.id, row.project_id,
               execution->id, execution->status);
  return dispatched(row, execution->id, report);
}

Status RunQueueRunner::dispatched(const store::RunQueueRecord& row, const std::string& execution_id,
                                  DrainReport& report) {
  return counted(
      queue_.mark_dispatched(
          row.id, execution_id,
          [&](store::SqlSession& tx) {
            return d_.audit.record_in(
                tx,
                {"ops.build_dispatched", "execution", execution_id, row.requested_by,
                 Json{{"build_id", row.id}, {"project_id", row.project_id}, {"branch", row.branch}},
                 ""});
          }),
      report.dispatched);
}

Status RunQueueRunner::failed(const store::RunQueueRecord& row, const std::string& error,
                              DrainReport& report) {
  spdlog::info("build queue: build {} of project {} failed: {}", row.id, row.project_id, error);
  return counted(
      queue_.mark_failed(
          row.id, error,
          [&](store::SqlSession& tx) {
            return d_.audit.record_in(
                tx, {"ops.build_failed", "project", row.project_id, row.requested_by,
                     Json{{"build_id", row.id}, {"branch", row.branch}, {"error", error}}, ""});
          }),
      report.failed);
}

}  // namespace opz::trigger
