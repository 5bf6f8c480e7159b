// AdmissionService: the one admission path (issue 8). Every entry point
// hands it an AdmissionRequest (ExecutionSubmitter); it loads the facts
// (GovernanceFacts, the deploy queue from the executions), asks the pure
// rules (governance::admit) and records the answer WITH the execution:
//
//   allowed           the execution is created and runs;
//   pending_approval  created held ('paused', nothing runs), an approval
//   waiting           request opened for pending_approval; it is released
//                     when a later admission allows it;
//   blocked           a person's request is refused (kForbidden for the
//                     role rule, kValidation for an unknown environment,
//                     kConflict otherwise; the message quotes the rule); a
//                     trigger's execution is created and failed at once
//                     with blocked_reason quoting the rule, so the refusal
//                     is visible where the push is.
//
// The decision's explanation is kept in metadata.governance, the typed
// request in metadata.governance_request (so admission can be re-run after a
// vote, a lock, a window's end, or a restart).
//
// Batches: submit_many() decides its requests in order, each by the same
// rules as submit() (submit() is submit_many() of one), with the facts they
// share — an environment's protection, hold, deploy queue; a project's freeze
// windows; the emergency stop — read ONCE per batch, and the deploy queue
// carried from one request to the next (a request waits behind an earlier
// request of the batch for the same environment exactly as it would behind
// the execution submit() had created). The executions are then created
// together (Engine::submit_many: one transaction per chunk). A request that
// fails (a fact cannot be read, a person refused, the engine rejects its
// execution) fails alone; an execution the engine rejects was still counted
// in the queue by the later requests of its environment in the batch, which
// can only make them wait, and the re-evaluation pass after the batch
// releases them.
//
// Re-evaluation: reevaluate() / reevaluate_all() (trigger::Admission) wake
// the service's thread, which re-runs admission for held executions; it also
// wakes by itself at the earliest known end of a wait (a freeze window, a
// wait timer) and, while anything is held, by itself as a safety net for
// changes nobody signals (another server's approval or lock, a deployment
// that ended there): every `poll`, or every 20 passes' time when a pass takes
// longer than poll / 20 (1,000 held executions awaiting approval must not
// keep a core busy). A pass begins at the earliest one pass's time after the
// previous one ended, so passes take at most half the thread's time however
// often they are asked for. A pass reads the shared facts
// once, as a batch does, and carries the deploy queues forward as it
// releases, blocks or re-queues; what changed outside admission during a
// pass (a deployment ended) is seen by the next pass. run_once() does one
// pass on the caller's thread (tests drive it with a hand-advanced clock).
// Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "core/clock.h"
#include "governance/admission.h"
#include "store/execution_store.h"
#include "trigger/admission.h"
#include "trigger/execution_submitter.h"
#include "trigger/governance_facts.h"

namespace opz::trigger {

struct AdmissionServiceDeps {
  GovernanceFacts& facts;
  store::ExecutionStore& executions;
  ExecutionEngine& engine;
  const Clock& clock;
};

struct AdmissionServiceOptions {
  std::chrono::milliseconds poll{std::chrono::seconds(1)};
};

class AdmissionService final : public ExecutionSubmitter, public Admission {
 public:
  AdmissionService(AdmissionServiceDeps deps, AdmissionServiceOptions options = {});
  ~AdmissionService() override;
  AdmissionService(const AdmissionService&) = delete;
  AdmissionService& operator=(const AdmissionService&) = delete;

  // ExecutionSubmitter and Admission: the one submit path.
  Result<store::ExecutionRecord> submit(AdmissionRequest request) override;
  // One answer per request, in order (see "Batches" above).
  std::vector<Result<store::ExecutionRecord>> submit_many(
      std::vector<AdmissionRequest> requests) override;
  // A rerun, admitted as a start by `actor` in the original's environment.
  Result<store::ExecutionRecord> rerun(const std::string& execution_id,
                                       const engine::RerunRequest& rerun, const std::string& actor,
                                       std::optional<auth::Role> role) override;

  // Admission: wake the re-evaluation thread.
  void reevaluate(const std::string& execution_id) override;
  void reevaluate_all() override;

  // Admission for an existing execution as it would be decided now (for GET
  // /api/v1/executions/{id}/governance): the recorded explanation for a
  // finished or running execution, a fresh one for a held execution.
  Result<Json> explain(const std::string& execution_id) override;
  Result<auth::Role> required_role(const std::string& project_id,
                                   const std::string& environment) override;

  // One pass over every held execution, on the caller's thread. Answers the
  // earliest known end of a wait, if any.
  std::optional<TimePoint> run_once() { return pass().wake; }

  // Starts / stops the re-evaluation thread. stop() is idempotent.
  void start();
  void stop();

 private:
  struct Evaluated {
    governance::AdmissionDecision decision;
    Json explanation;
    bool approval_requested = false;  // the execution has an approval request (read with it)
  };
  struct SharedFacts;  // what one pass or batch reads once (admission_service.cc)
  // A new execution's decision: the evaluation and the metadata keys it adds.
  struct Admitted {
    Evaluated evaluated;
    Json metadata;
    bool held() const {
      return evaluated.decision.status != governance::AdmissionStatus::kAllowed;
    }
  };
  Result<Evaluated> evaluate(const governance::ExecutionRequest& request,
                             const std::string& execution_id, TimePoint requested_at,
                             TimePoint now, SharedFacts& shared);
  // Decides a new execution (a person's request refused outright is an
  // error quoting the rule).
  Result<Admitted> admit(const governance::ExecutionRequest& request, TimePoint now,
                         SharedFacts& shared);
  // What follows the creation of an admitted execution: a blocked trigger's
  // execution failed quoting the rule, an approval request opened.
  void settle(const governance::ExecutionRequest& request, const Admitted& admitted,
              store::ExecutionRecord& created, TimePoint now, SharedFacts& shared);
  // The environment's deploy queue as the store lists it (held executions
  // waiting, the oldest admitted one deploying).
  Result<governance::QueueSnapshot> queue(const governance::ExecutionRequest& request);
  // What a revisit or a pass leaves: whether executions are still held, and
  // the earliest known end of a wait among them.
  struct Revisited {
    bool held = false;
    std::optional<TimePoint> wake;
  };
  // Re-runs admission for one held execution with the pass's facts, which it
  // carries forward.
  Revisited revisit(const store::ExecutionRecord& held, TimePoint now, SharedFacts& shared);
  Revisited pass();
  void loop();

  AdmissionServiceDeps d_;
  AdmissionServiceOptions options_;
  std::mutex mu_;       // guards the thread state below
  std::mutex pass_mu_;  // serialises passes (run_once)
  // One decision at a time (a submission, a rerun, one held execution's
  // revisit), so the deploy queue each one reads is the one the previous
  // left. A pass takes it per execution, not for the whole pass: a batch
  // waits for one revisit, not for a pass over every held execution.
  std::mutex decision_mu_;
  uint64_t decisions_ = 0;  // under decision_mu_: submissions and reruns made
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace opz::trigger
