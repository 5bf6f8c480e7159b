// RunQueueRunner: executes seed 003's build queue (ops_run_queue), which the
// seed left as "No runner implemented yet". Each queued build becomes an
// execution through the ONE admission path (ExecutionSubmitter: governance
// decides whether it runs, waits or is refused; nothing here writes a
// governance status), and its row is marked 'dispatched' with the execution's
// id, or 'failed' with the reason (the project has no pipeline, no branch rule
// maps the branch, governance refused the requester, ...), with its audit
// entry (ops.build_dispatched / ops.build_failed) in the same transaction.
// The build's status then follows its execution (view ops_builds).
//
// Which execution a build becomes is not decided here: `build_request` turns
// a queue row into the same typed AdmissionRequest POST /api/v1/executions
// builds (the server passes api::queued_build_request). The runner adds
// metadata.ops_build_id = the row's id to it, which makes a drain after a
// crash between "execution created" and "row marked" record the existing
// execution instead of starting a second one.
//
// A row whose request or submission answers kUnavailable (the engine cannot
// take work now) stays queued and is retried after `retry_after`; any other
// error fails the row. Rows are handled oldest first.
//
// Threads: start() runs one thread that drains at once (rows queued before a
// restart are not lost), then whenever wake() is called (after an enqueue)
// and every `retry_after` while rows were deferred. drain() may also be
// called directly (tests); drains never overlap. stop() joins the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "audit/audit_log.h"
#include "core/result.h"
#include "store/run_queue_store.h"
#include "trigger/execution_submitter.h"

namespace opz::trigger {

using BuildRequestFn = std::function<Result<AdmissionRequest>(const store::RunQueueRecord&)>;

struct RunQueueRunnerDeps {
  store::Database& db;  // the queue (ops_run_queue) lives here
  const Clock& clock;
  audit::AuditLog& audit;
  ExecutionSubmitter& submitter;
  BuildRequestFn build_request;
};

struct RunQueueRunnerOptions {
  std::chrono::milliseconds retry_after{5000};
  int batch = 100;  // rows read per query
};

struct DrainReport {
  int dispatched = 0;  // became (or had already become) an execution
  int failed = 0;      // refused, with the reason on the row
  int deferred = 0;    // left queued for a later drain (kUnavailable)
};

class RunQueueRunner {
 public:
  explicit RunQueueRunner(RunQueueRunnerDeps deps, RunQueueRunnerOptions options = {});
  ~RunQueueRunner();
  RunQueueRunner(const RunQueueRunner&) = delete;
  RunQueueRunner& operator=(const RunQueueRunner&) = delete;

  void start();
  void stop();
  // A row was queued: drain soon. Cheap; never blocks on a drain.
  void wake();
  // One pass over the queued rows. An Error only for the store failing; what
  // happened to each row is in the report.
  Result<DrainReport> drain();

 private:
  Status handle(const store::RunQueueRecord& row, DrainReport& report);
  Status dispatched(const store::RunQueueRecord& row, const std::string& execution_id,
                    DrainReport& report);
  Status failed(const store::RunQueueRecord& row, const std::string& error, DrainReport& report);
  void loop();

  RunQueueRunnerDeps d_;
  RunQueueRunnerOptions options_;
  store::RunQueueStore queue_;
  std::mutex drain_mu_;  // one drain at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace opz::trigger
