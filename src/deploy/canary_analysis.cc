#include "deploy/canary_analysis.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <utility>

namespace opz::deploy {
namespace {

constexpr size_t kQuotedBodyBytes = 40;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string excerpt(std::string_view text) {
  std::string out = "\"" + std::string(text.substr(0, kQuotedBodyBytes));
  if (text.size() > kQuotedBodyBytes) out += "...";
  return out + "\"";
}

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

std::optional<double> parse_sample(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

SampleVerdict judge_sample(const pipeline::AnalysisSpec& spec, const ProbeResponse& response) {
  if (!response.ok)
    return {false, std::nullopt, response.error.empty() ? "no answer" : response.error};
  if (response.status && (*response.status < 200 || *response.status > 299)) {
    return {false, std::nullopt, "HTTP " + std::to_string(*response.status)};
  }
  std::optional<double> value = parse_sample(response.body);
  if (!value) return {false, std::nullopt, "not a number: " + excerpt(response.body)};
  return judge_value(spec, *value);
}

SampleVerdict judge_value(const pipeline::AnalysisSpec& spec, double value) {
  if (spec.max && value > *spec.max) {
    return {false, value, number_text(value) + " is above the maximum " + number_text(*spec.max)};
  }
  if (spec.min && value < *spec.min) {
    return {false, value, number_text(value) + " is below the minimum " + number_text(*spec.min)};
  }
  return {true, value, ""};
}

CanaryAnalysis::CanaryAnalysis(ProbeCall& probes, HealthCheck& health, DeployTimers& timers,
                               const Clock& clock, DeployEvents& events, MetricSource metrics)
    : probes_(probes),
      health_(health),
      timers_(timers),
      clock_(clock),
      events_(events),
      metrics_(std::move(metrics)) {}

void CanaryAnalysis::run(const pipeline::AnalysisSpec& spec, std::vector<std::string> env,
                         PhaseDone done) {
  cancel();
  if (spec.health) {
    health_.run(*spec.health, std::move(env), "analysis", std::move(done));
    return;
  }
  spec_ = spec;
  target_ = ProbeTarget{spec.url, spec.command, spec.timeout};
  env_ = std::move(env);
  done_ = std::move(done);
  samples_ = 0;
  failures_ = 0;
  last_error_.clear();
  first_failure_at_.reset();
  sample();
}

void CanaryAnalysis::cancel() {
  guard_.invalidate();
  health_.cancel();
  probes_.cancel();
  done_ = nullptr;
}

void CanaryAnalysis::sample() {
  sample_started_ = clock_.now();
  // Posted, like a probe's answer, so `done` never runs inside run().
  if (!spec_.metric.empty()) return timers_.post(guard_.wrap([this] { sample_metric(); }));
  probes_.probe(target_, env_, guard_.wrap([this](ProbeResponse response) { judge(response); }));
}

void CanaryAnalysis::judge(const ProbeResponse& response) {
  SampleVerdict verdict = judge_sample(spec_, response);
  ProbeRecord record =
      probe_record("analysis", target_, response, sample_started_, verdict.ok, verdict.error);
  count(verdict, std::move(record));
}

void CanaryAnalysis::sample_metric() {
  MetricQuery query{spec_.metric, spec_.aggregate, spec_.window.value_or(spec_.interval)};
  SampleVerdict verdict;
  if (!metrics_) {
    verdict.error = "no metric source: metric analyses run only on the server";
  } else if (Result<double> value = metrics_(query); !value) {
    verdict.error = value.error().message;
  } else {
    verdict = judge_value(spec_, *value);
  }
  ProbeRecord record;
  record.kind = "analysis";
  record.target = std::string(pipeline::to_string(query.aggregate)) + "(" + query.metric +
                  ") over " + window_text(query.window);
  record.ok = verdict.ok;
  record.error = verdict.error;
  record.at = sample_started_;
  count(verdict, std::move(record));
}

void CanaryAnalysis::count(const SampleVerdict& verdict, ProbeRecord record) {
  record.value = verdict.value;
  events_.probe(record);

  ++samples_;
  if (!verdict.ok) {
    ++failures_;
    last_error_ = verdict.error;
    if (!first_failure_at_) first_failure_at_ = record.at;
  }
  if (samples_ < std::max({1, spec_.min_samples, spec_.failure_limit})) {
    timers_.post_after(spec_.interval, guard_.wrap([this] { sample(); }));
    return;
  }
  PhaseDone done = std::move(done_);
  done_ = nullptr;
  if (failures_ >= std::max(1, spec_.failure_limit)) {
    done(PhaseResult::failure(std::to_string(failures_) + " of " + std::to_string(samples_) +
                                  " samples failed (last: " + last_error_ + ")",
                              first_failure_at_));
  } else {
    done(PhaseResult::success());
  }
}

}  // namespace opz::deploy
