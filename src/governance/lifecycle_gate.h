// The lifecycle rule: a project's lifecycle (Octopus-style) is an ordered
// list of phases, each an environment with a soak time. A version may enter
// a phase's environment only after the same commit succeeded in the previous
// phase's environment, and at least that phase's soak time ago (issue 9
// "Promotion").
//
// LifecycleGate is the fact admit() needs: which environment comes before,
// the soak, and when this commit last succeeded there. lifecycle_gate()
// derives it from the phases (the loader then fills previous_success_at);
// no gate means the environment is not gated (no lifecycle, not in it, or
// its first phase).
//
// check_lifecycle(): no gate -> pass; a rollback -> pass (it restores a
// version that was already deployed here); never succeeded in the previous
// environment -> block; succeeded but still soaking -> wait until
// success + soak; else pass.
//
// Pure: no I/O, no clock (now is an argument). Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "governance/execution_request.h"
#include "governance/rule_outcome.h"

namespace opz::governance {

struct LifecyclePhase {
  std::string environment;
  // How long a version must have succeeded in the PREVIOUS phase's
  // environment before it may enter this one.
  std::chrono::seconds soak{0};
};

struct LifecycleGate {
  std::string previous_environment;
  std::chrono::seconds soak{0};
  // When the request's commit last succeeded in previous_environment;
  // nullopt: never.
  std::optional<TimePoint> previous_success_at;
};

// The gate in front of `environment` (exact name) in `phases` (in order),
// with previous_success_at unset; nullopt when `environment` is not in the
// lifecycle or is its first phase.
std::optional<LifecycleGate> lifecycle_gate(const std::vector<LifecyclePhase>& phases,
                                            std::string_view environment);

// The "lifecycle" outcome for `request` to `environment` (its exact name).
RuleOutcome check_lifecycle(const ExecutionRequest& request, const std::string& environment,
                            const std::optional<LifecycleGate>& gate, TimePoint now);

}  // namespace opz::governance
