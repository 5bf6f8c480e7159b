// HealthCheck: runs a HealthCheckSpec to a verdict. Probes (HTTP GET or
// command) every `interval`; `success_threshold` passing probes in a row make
// it healthy, `retries` failing probes in a row unhealthy. An HTTP probe
// passes when the request got an answer with `expect_status` whose body
// contains `body_contains` (when set); a command probe when it exits 0 within
// `timeout`. Every probe is recorded through DeployEvents::probe with `kind`
// ("health", or "analysis" when a canary step uses a health check).
//
// ProbeRecord::at is when the probe was sent. A failed verdict's PhaseResult
// names the last probe's error and, as first_failure_at, when the first probe
// of the failing streak was sent.
//
// Threading: loop thread only. At most one check at a time; cancel() (or a
// new run()) drops the current one without calling its `done`.
#pragma once

#include <string>
#include <vector>

#include "deploy/callback_guard.h"
#include "deploy/phase_result.h"
#include "deploy/probe_call.h"
#include "pipeline/deploy_spec.h"

namespace opz::deploy {

// Whether one answer passes an HTTP probe; the reason when it does not.
struct ProbeVerdict {
  bool ok = false;
  std::string error;
};
ProbeVerdict judge_http_probe(const pipeline::HttpProbeSpec& spec, const ProbeResponse& response);

class HealthCheck {
 public:
  HealthCheck(ProbeCall& probes, DeployTimers& timers, const Clock& clock, DeployEvents& events);

  // `env`: the environment of a command probe.
  void run(const pipeline::HealthCheckSpec& spec, std::vector<std::string> env, std::string kind,
           PhaseDone done);
  void cancel();

 private:
  void probe();
  void judge(const ProbeResponse& response);

  ProbeCall& probes_;
  DeployTimers& timers_;
  const Clock& clock_;
  DeployEvents& events_;
  pipeline::HealthCheckSpec spec_;
  ProbeTarget target_;
  std::vector<std::string> env_;
  std::string kind_;
  PhaseDone done_;
  TimePoint probe_started_{};
  int passes_in_a_row_ = 0;
  int failures_in_a_row_ = 0;
  std::optional<TimePoint> streak_failed_at_;
  CallbackGuard guard_;
};

}  // namespace opz::deploy
