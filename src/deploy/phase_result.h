// PhaseResult: how one phase of a deployment ended (a hook with its retries,
// the deploy commands, a health check, a canary analysis, a switch) — ok, or
// the reason it failed for DeployResult::error, plus when a check saw its
// first failing probe (DeployResult::first_failure_at).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"

namespace opz::deploy {

struct PhaseResult {
  bool ok = true;
  std::string error;
  std::optional<TimePoint> first_failure_at;

  static PhaseResult success() { return {}; }
  static PhaseResult failure(std::string error, std::optional<TimePoint> first_failure_at = {}) {
    return {false, std::move(error), first_failure_at};
  }
};

using PhaseDone = std::function<void(PhaseResult)>;

}  // namespace opz::deploy
