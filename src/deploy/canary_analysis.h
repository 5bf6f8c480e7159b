// CanaryAnalysis: one canary `analysis` step. Either a health check (the
// health-check semantics of health_check.h, probes recorded as "analysis"),
// or a metric: every `interval` it samples a number — a command's stdout, an
// HTTP(S) body (2xx) holding exactly one number, or an aggregate of the
// project's ingested ops metric read through the MetricSource — and judges
// it against the threshold (value <= max, value >= min). A sample that
// cannot be taken or read (no metric samples in the window) fails.
//
// Judging: no verdict before `min_samples` samples were taken, so a small
// canary is not judged on noise. The step takes max(min_samples,
// failure_limit) samples, then fails if `failure_limit` of them failed, else
// passes.
// The PhaseResult of a failure names the last failing sample and carries, as
// first_failure_at, when the first failing sample was taken (the start of
// the canary's time-to-detect).
//
// Every sample is recorded through DeployEvents::probe as kind "analysis",
// with its value when one was read. Loop thread only; cancel() (or a new
// run()) drops the current analysis without calling its `done`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/health_check.h"
#include "deploy/metric_source.h"

namespace opz::deploy {

// One number, surrounding whitespace allowed ("0.004\n"); nullopt otherwise.
std::optional<double> parse_sample(std::string_view text);

// The sample a response yields and whether it satisfies the threshold.
struct SampleVerdict {
  bool ok = false;
  std::optional<double> value;
  std::string error;
};
SampleVerdict judge_sample(const pipeline::AnalysisSpec& spec, const ProbeResponse& response);
// A number read against the threshold.
SampleVerdict judge_value(const pipeline::AnalysisSpec& spec, double value);

class CanaryAnalysis {
 public:
  // `metrics` serves `metric` analyses; without one they fail.
  CanaryAnalysis(ProbeCall& probes, HealthCheck& health, DeployTimers& timers, const Clock& clock,
                 DeployEvents& events, MetricSource metrics = {});

  void run(const pipeline::AnalysisSpec& spec, std::vector<std::string> env, PhaseDone done);
  void cancel();

 private:
  void sample();
  void judge(const ProbeResponse& response);
  void sample_metric();
  // Records one sample and takes the next or ends the step.
  void count(const SampleVerdict& verdict, ProbeRecord record);

  ProbeCall& probes_;
  HealthCheck& health_;
  DeployTimers& timers_;
  const Clock& clock_;
  DeployEvents& events_;
  MetricSource metrics_;
  pipeline::AnalysisSpec spec_;
  ProbeTarget target_;
  std::vector<std::string> env_;
  PhaseDone done_;
  TimePoint sample_started_{};
  int samples_ = 0;
  int failures_ = 0;
  std::string last_error_;
  std::optional<TimePoint> first_failure_at_;
  CallbackGuard guard_;
};

}  // namespace opz::deploy
