// ExecutionSubmitter: the one seam through which triggers start executions.
// Production uses EngineSubmitter (Engine::submit); tests use a recording
// fake, so the whole decision flow (delivery -> decision -> mapping ->
// NewExecution) is tested without running pipelines.
// Implementations must be thread-safe.
#pragma once

#include "core/result.h"
#include "engine/engine.h"
#include "store/execution_store.h"

namespace opz::trigger {

class ExecutionSubmitter {
 public:
  virtual ~ExecutionSubmitter() = default;
  // Creates the execution; kUnavailable when the engine cannot take it now
  // (the trigger is then retried later), kValidation for a bad request.
  virtual Result<store::ExecutionRecord> submit(engine::NewExecution request) = 0;
};

class EngineSubmitter final : public ExecutionSubmitter {
 public:
  explicit EngineSubmitter(engine::Engine& engine) : engine_(engine) {}
  Result<store::ExecutionRecord> submit(engine::NewExecution request) override {
    return engine_.submit(std::move(request));
  }

 private:
  engine::Engine& engine_;
};

}  // namespace opz::trigger
