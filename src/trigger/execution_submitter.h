// The two seams between triggers (and the API) and the engine.
//
// ExecutionSubmitter is the front door: the ONE path through which every
// entry point — webhook deliveries, the git poller, POST /api/v1/executions,
// the seeds' pipeline-execute, reruns — starts an execution. It takes an
// AdmissionRequest: the typed governance request (who asks, for which
// environment, ref, commit, trigger) and the engine's NewExecution. In the
// server it is trigger::AdmissionService, which runs governance::admit() and
// records the decision with the execution; tests use a recording fake, so
// the whole decision flow (delivery -> decision -> mapping -> request) is
// tested without running pipelines.
//
// ExecutionEngine is the back door the admission path drives: submit a
// NewExecution (held or not), release a held one, fail one. EngineExecutions
// adapts engine::Engine; tests fake it.
// Implementations must be thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "engine/engine.h"
#include "governance/execution_request.h"
#include "store/execution_store.h"

namespace opz::trigger {

struct AdmissionRequest {
  governance::ExecutionRequest request;
  engine::NewExecution execution;
};

class ExecutionSubmitter {
 public:
  virtual ~ExecutionSubmitter() = default;
  // Creates the execution (running, held, or failed as governance decides;
  // its governance_status says which). kUnavailable when the engine cannot
  // take it now (the trigger is then retried later), kValidation for a bad
  // request, kForbidden / kConflict when governance refuses a person's
  // request outright (the message quotes the rule).
  virtual Result<store::ExecutionRecord> submit(AdmissionRequest request) = 0;
  // submit() for many requests (one delivery's fan-out), one answer per
  // request, in order; a failing request fails alone. AdmissionService
  // decides them as submit() would one after the other and creates them
  // together; this default, for fakes, submits them one by one.
  virtual std::vector<Result<store::ExecutionRecord>> submit_many(
      std::vector<AdmissionRequest> requests) {
    std::vector<Result<store::ExecutionRecord>> results;
    results.reserve(requests.size());
    for (AdmissionRequest& r : requests) results.push_back(submit(std::move(r)));
    return results;
  }
};

class ExecutionEngine {
 public:
  virtual ~ExecutionEngine() = default;
  virtual Result<store::ExecutionRecord> submit(engine::NewExecution execution) = 0;
  // Engine::submit_many: one answer per execution, in order; this default,
  // for fakes, submits them one by one.
  virtual std::vector<Result<store::ExecutionRecord>> submit_many(
      std::vector<engine::NewExecution> executions) {
    std::vector<Result<store::ExecutionRecord>> results;
    results.reserve(executions.size());
    for (engine::NewExecution& e : executions) results.push_back(submit(std::move(e)));
    return results;
  }
  virtual Result<store::ExecutionRecord> rerun(const std::string& execution_id,
                                               const engine::RerunRequest& rerun,
                                               const std::string& actor) = 0;
  virtual Status release(const std::string& execution_id, const std::string& reason) = 0;
  // Ends an execution failed with blocked_reason = reason (held or running).
  virtual Status fail(const std::string& execution_id, const std::string& reason) = 0;
};

class EngineExecutions final : public ExecutionEngine {
 public:
  explicit EngineExecutions(engine::Engine& engine) : engine_(engine) {}
  Result<store::ExecutionRecord> submit(engine::NewExecution execution) override {
    return engine_.submit(std::move(execution));
  }
  std::vector<Result<store::ExecutionRecord>> submit_many(
      std::vector<engine::NewExecution> executions) override {
    return engine_.submit_many(std::move(executions));
  }
  Result<store::ExecutionRecord> rerun(const std::string& execution_id,
                                       const engine::RerunRequest& rerun,
                                       const std::string& actor) override {
    return engine_.rerun(execution_id, rerun, actor);
  }
  Status release(const std::string& execution_id, const std::string& reason) override {
    return engine_.release(execution_id, reason);
  }
  Status fail(const std::string& execution_id, const std::string& reason) override {
    return engine_.force_fail(execution_id, reason, "governance");
  }

 private:
  engine::Engine& engine_;
};

}  // namespace opz::trigger
