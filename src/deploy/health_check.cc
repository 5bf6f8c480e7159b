#include "deploy/health_check.h"

#include <algorithm>
#include <utility>

namespace opz::deploy {

ProbeVerdict judge_http_probe(const pipeline::HttpProbeSpec& spec, const ProbeResponse& response) {
  if (!response.ok) return {false, response.error.empty() ? "no answer" : response.error};
  if (response.status != spec.expect_status) {
    return {false, "HTTP " + std::to_string(response.status.value_or(0)) + " (expected " +
                       std::to_string(spec.expect_status) + ")"};
  }
  if (!spec.body_contains.empty() && response.body.find(spec.body_contains) == std::string::npos) {
    return {false, "body does not contain \"" + spec.body_contains + "\""};
  }
  return {true, ""};
}

HealthCheck::HealthCheck(ProbeCall& probes, DeployTimers& timers, const Clock& clock,
                         DeployEvents& events)
    : probes_(probes), timers_(timers), clock_(clock), events_(events) {}

void HealthCheck::run(const pipeline::HealthCheckSpec& spec, std::vector<std::string> env,
                      std::string kind, PhaseDone done) {
  cancel();
  spec_ = spec;
  target_ = ProbeTarget{spec.http ? spec.http->url : "", spec.command, spec.timeout};
  env_ = std::move(env);
  kind_ = std::move(kind);
  done_ = std::move(done);
  passes_in_a_row_ = 0;
  failures_in_a_row_ = 0;
  streak_failed_at_.reset();
  probe();
}

void HealthCheck::cancel() {
  guard_.invalidate();
  probes_.cancel();
  done_ = nullptr;
}

void HealthCheck::probe() {
  probe_started_ = clock_.now();
  probes_.probe(target_, env_, guard_.wrap([this](ProbeResponse response) { judge(response); }));
}

void HealthCheck::judge(const ProbeResponse& response) {
  ProbeVerdict verdict = spec_.http ? judge_http_probe(*spec_.http, response)
                                    : ProbeVerdict{response.ok, response.error};
  events_.probe(probe_record(kind_, target_, response, probe_started_, verdict.ok, verdict.error));

  if (verdict.ok) {
    ++passes_in_a_row_;
    failures_in_a_row_ = 0;
    streak_failed_at_.reset();
  } else {
    ++failures_in_a_row_;
    passes_in_a_row_ = 0;
    if (!streak_failed_at_) streak_failed_at_ = probe_started_;
  }
  PhaseDone done;
  PhaseResult result;
  if (passes_in_a_row_ >= std::max(1, spec_.success_threshold)) {
    done = std::move(done_);
  } else if (failures_in_a_row_ >= std::max(1, spec_.retries)) {
    done = std::move(done_);
    result = PhaseResult::failure(verdict.error, streak_failed_at_);
  }
  if (done) {
    done_ = nullptr;
    done(std::move(result));
    return;
  }
  timers_.post_after(spec_.interval, guard_.wrap([this] { probe(); }));
}

}  // namespace opz::deploy
