#include "pipeline/deploy_reader.h"

#include <cmath>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include "core/quantity.h"
#include "pipeline/field_reader.h"
#include "pipeline/limits.h"
#include "telemetry/metric_name.h"

namespace opz::pipeline {
namespace {

using std::chrono::hours;

constexpr size_t kMaxUrlLength = 4096;
constexpr int kMaxProbeCount = 100;      // health-check retries and success_threshold
constexpr int kMaxSampleCount = 10'000;  // analysis min_samples and failure_limit
constexpr Millis kMinProbeInterval{10};
constexpr std::string_view kCanaryStepKinds[] = {"set_weight", "pause", "analysis"};

std::string strategies_list() {
  return std::string(to_string(DeployStrategy::kRolling)) + ", " +
         std::string(to_string(DeployStrategy::kBlueGreen)) + ", " +
         std::string(to_string(DeployStrategy::kCanary));
}

bool is_http_url(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme) && url.size() > scheme.size()) return true;
  }
  return false;
}

// Where the strategy was written (its path), when it was, and validly.
struct StrategyAt {
  DeployStrategy strategy = DeployStrategy::kRolling;
  std::string path;  // empty: not given (rolling by default)
  bool valid = true;
};

// One reader for both syntaxes. In YAML a duration `interval` is a string
// such as "1s" and commands must not be empty; in the canonical JSON it is
// `interval_ms`, an integer, and "" stands for "not given".
class SpecReader {
 public:
  enum class Syntax { kYaml, kJson };
  SpecReader(Syntax syntax, Diagnostics& diag) : syntax_(syntax), diag_(diag) {}

  std::string duration_key(std::string_view name) const {
    return syntax_ == Syntax::kJson ? std::string(name) + "_ms" : std::string(name);
  }

  // check_keys with the durations named as this syntax names them.
  void check(const Json& object, const std::string& path,
             std::initializer_list<std::string_view> plain,
             std::initializer_list<std::string_view> durations = {}) {
    std::vector<std::string> names(plain.begin(), plain.end());
    for (std::string_view d : durations) names.push_back(duration_key(d));
    std::vector<std::string_view> allowed(names.begin(), names.end());
    check_keys(object, path, allowed, diag_);
  }

  void duration(const Json& object, const std::string& path, std::string_view name, Millis min,
                Millis max, Millis& out) {
    std::string key = duration_key(name);
    const Json* v = member(object, key);
    if (!v) return;
    if (auto d = read_millis(*v, child_path(path, key), min, max)) out = *d;
  }

  void count(const Json& object, const std::string& path, std::string_view name, int min, int max,
             int& out) {
    if (const Json* v = member(object, name)) {
      if (auto n = read_int(*v, child_path(path, name), diag_, min, max))
        out = static_cast<int>(*n);
    }
  }

  void text(const Json& object, const std::string& path, std::string_view name, size_t max_bytes,
            std::string& out, bool allow_empty = false) {
    if (const Json* v = member(object, name)) {
      bool empty_ok = allow_empty || syntax_ == Syntax::kJson;
      if (auto s = read_string(*v, child_path(path, name), diag_, max_bytes, empty_ok))
        out = std::move(*s);
    }
  }

  void url(const Json& object, const std::string& path, std::string_view name, std::string& out) {
    std::string at = child_path(path, name);
    std::string value;
    text(object, path, name, kMaxUrlLength, value);
    if (value.empty()) return;
    if (!is_http_url(value))
      return diag_.report(at,
                          "must be an http:// or https:// URL, got '" + value.substr(0, 60) + "'");
    out = std::move(value);
  }

  std::optional<HealthCheckSpec> health_check(const Json& value, const std::string& path) {
    if (value.is_null() || !expect_map(value, path, diag_)) return std::nullopt;
    check(value, path, {"http", "command", "retries", "success_threshold"},
          {"interval", "timeout"});
    HealthCheckSpec hc;
    if (const Json* v = member(value, "http")) hc.http = http_probe(*v, child_path(path, "http"));
    text(value, path, "command", kMaxCommandBytes, hc.command);
    count(value, path, "retries", 1, kMaxProbeCount, hc.retries);
    count(value, path, "success_threshold", 1, kMaxProbeCount, hc.success_threshold);
    duration(value, path, "interval", kMinProbeInterval, hours{1}, hc.interval);
    duration(value, path, "timeout", kMinProbeInterval, hours{1}, hc.timeout);
    const Json* http = member(value, "http");
    bool has_http = http && !http->is_null();
    bool has_command =
        syntax_ == Syntax::kYaml ? member(value, "command") != nullptr : !hc.command.empty();
    if (has_http && has_command) {
      diag_.report(path, "give either http or command, not both");
    } else if (!has_http && !has_command) {
      diag_.report(path, "a health check needs http ({url: ...}) or command");
    }
    return hc;
  }

  HooksSpec hooks(const Json& value, const std::string& path) {
    HooksSpec hooks;
    if (value.is_null() || !expect_map(value, path, diag_)) return hooks;
    check(value, path, {"migrate", "seed", "rollback"});
    if (const Json* v = member(value, "migrate"))
      hooks.migrate = hook(*v, child_path(path, "migrate"), HookWhen::kPreDeploy);
    if (const Json* v = member(value, "seed"))
      hooks.seed = hook(*v, child_path(path, "seed"), HookWhen::kPostDeploy);
    if (const Json* v = member(value, "rollback"))
      hooks.rollback = hook(*v, child_path(path, "rollback"), HookWhen::kPreDeploy);
    return hooks;
  }

  // A canary step list; `syntax_` YAML lists were chosen by is_canary_step_list.
  std::vector<CanaryStep> canary_steps(const Json& value, const std::string& path) {
    size_t min = syntax_ == Syntax::kJson ? 0 : 1;
    if (!value.is_array() || value.size() < min || value.size() > kMaxStepsPerNode) {
      diag_.report(path, "must be a list of " + std::to_string(min) + " to " +
                             std::to_string(kMaxStepsPerNode) + " canary steps, got " +
                             (value.is_array() ? std::to_string(value.size()) + " items"
                                               : std::string(json_kind(value))));
      return {};
    }
    std::vector<CanaryStep> steps;
    std::optional<int> last_weight;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string item = item_path(path, i);
      std::optional<CanaryStep> step = canary_step(value[i], item);
      if (!step) continue;
      if (step->kind == CanaryStepKind::kSetWeight) {
        if (last_weight && step->weight <= *last_weight) {
          diag_.report(child_path(item, "set_weight"),
                       "must be greater than the previous set_weight (" +
                           std::to_string(*last_weight) + "): weights only increase");
        }
        last_weight = step->weight;
      }
      steps.push_back(std::move(*step));
    }
    return steps;
  }

  // The keys every spec shares in both syntaxes (all but strategy and steps).
  void common(const Json& fields, const std::string& path, DeploySpec& spec) {
    if (const Json* v = member(fields, "auto_rollback"); v && !v->is_null()) {
      if (auto flag = read_bool(*v, child_path(path, "auto_rollback"), diag_))
        spec.auto_rollback = *flag;
    }
    text(fields, path, "version", kMaxNameLength, spec.version);
    if (const Json* v = member(fields, "health_check"))
      spec.health_check = health_check(*v, child_path(path, "health_check"));
    if (const Json* v = member(fields, "hooks")) spec.hooks = hooks(*v, child_path(path, "hooks"));
    text(fields, path, "switch", kMaxCommandBytes, spec.switch_command);
    text(fields, path, "cleanup", kMaxCommandBytes, spec.cleanup_command);
    duration(fields, path, "cleanup_delay", Millis{0}, hours{24}, spec.cleanup_delay);
    text(fields, path, "traffic", kMaxCommandBytes, spec.traffic_command);
  }

  std::optional<DeployStrategy> strategy_named(const Json& value, const std::string& path) {
    std::optional<std::string> name = read_string(value, path, diag_, kMaxNameLength);
    if (!name) return std::nullopt;
    std::optional<DeployStrategy> strategy = deploy_strategy_from_string(*name);
    if (!strategy)
      diag_.report(path, "unknown strategy '" + *name + "'; expected one of " + strategies_list());
    return strategy;
  }

  // The options of one strategy given to another, and each strategy's
  // required command; canary specs without steps get the default steps.
  void check_strategy(const StrategyAt& at, const std::string& path, DeploySpec& spec) {
    if (!at.valid) return;
    auto only_for = [&](DeployStrategy owner, bool given, const std::string& key) {
      if (given && spec.strategy != owner)
        diag_.report(child_path(path, key),
                     "only " + std::string(to_string(owner)) + " deploys take " + key +
                         " (this one is " + std::string(to_string(spec.strategy)) + ")",
                     true);
    };
    only_for(DeployStrategy::kBlueGreen, !spec.switch_command.empty(), "switch");
    only_for(DeployStrategy::kBlueGreen, !spec.cleanup_command.empty(), "cleanup");
    only_for(DeployStrategy::kBlueGreen, spec.cleanup_delay != Millis{0},
             duration_key("cleanup_delay"));
    only_for(DeployStrategy::kCanary, !spec.traffic_command.empty(), "traffic");
    only_for(DeployStrategy::kCanary, !spec.steps.empty(), "steps");
    if (spec.strategy == DeployStrategy::kBlueGreen && spec.switch_command.empty())
      diag_.report(at.path,
                   "a blue_green deploy needs switch: the command that points traffic at "
                   "$OPZENIX_SLOT");
    if (spec.strategy == DeployStrategy::kCanary) {
      if (spec.traffic_command.empty())
        diag_.report(at.path,
                     "a canary deploy needs traffic: the command that applies "
                     "$OPZENIX_CANARY_WEIGHT");
      if (spec.steps.empty()) spec.steps = default_canary_steps();
    }
  }

 private:
  std::optional<Millis> read_millis(const Json& value, const std::string& path, Millis min,
                                    Millis max) {
    if (syntax_ == Syntax::kYaml) return read_duration(value, path, diag_, min, max);
    if (auto n = read_int(value, path, diag_, min.count(), max.count())) return Millis{*n};
    return std::nullopt;
  }

  std::optional<HttpProbeSpec> http_probe(const Json& value, const std::string& path) {
    if (value.is_null() || !expect_map(value, path, diag_)) return std::nullopt;
    check(value, path, {"url", "expect_status", "body_contains"});
    HttpProbeSpec probe;
    if (member(value, "url")) {
      url(value, path, "url", probe.url);
    } else {
      diag_.report(path, "an http probe needs url");
    }
    if (syntax_ == Syntax::kJson && member(value, "url") && probe.url.empty())
      diag_.report(child_path(path, "url"), "must not be empty");
    count(value, path, "expect_status", 100, 599, probe.expect_status);
    text(value, path, "body_contains", kMaxCommandBytes, probe.body_contains, true);
    return probe;
  }

  std::optional<HookSpec> hook(const Json& value, const std::string& path, HookWhen when) {
    if (value.is_null() || !expect_map(value, path, diag_)) return std::nullopt;
    check(value, path, {"run", "when", "retry"}, {"deadline"});
    HookSpec hook;
    hook.when = when;
    text(value, path, "run", kMaxCommandBytes, hook.run);
    if (!member(value, "run") || (syntax_ == Syntax::kJson && hook.run.empty()))
      diag_.report(path, "a hook needs run (the command to execute)");
    if (const Json* v = member(value, "when")) {
      std::string at = child_path(path, "when");
      if (auto name = read_string(*v, at, diag_, kMaxNameLength)) {
        if (auto parsed = hook_when_from_string(*name))
          hook.when = *parsed;
        else
          diag_.report(at, "must be pre_deploy or post_deploy, got '" + name->substr(0, 40) + "'");
      }
    }
    if (const Json* v = member(value, "retry")) hook_retry(*v, child_path(path, "retry"), hook);
    duration(value, path, "deadline", Millis{1}, hours{24}, hook.deadline);
    return hook;
  }

  void hook_retry(const Json& value, const std::string& path, HookSpec& hook) {
    if (value.is_null() || !expect_map(value, path, diag_)) return;
    check(value, path, {"max_attempts"}, {"initial", "max"});
    count(value, path, "max_attempts", 1, kMaxRetryAttempts, hook.max_attempts);
    duration(value, path, "initial", Millis{0}, hours{1}, hook.initial);
    duration(value, path, "max", Millis{0}, hours{24}, hook.max);
    if (hook.initial > hook.max)
      diag_.report(path, "initial (" + format_duration(hook.initial) +
                             ") must not be greater than max (" + format_duration(hook.max) + ")");
  }

  std::optional<CanaryStep> canary_step(const Json& value, const std::string& path) {
    std::string pause_key = duration_key("pause");
    std::vector<std::string> kinds;
    if (value.is_object()) {
      for (std::string_view kind : {std::string_view("set_weight"), std::string_view(pause_key),
                                    std::string_view("analysis")})
        if (member(value, kind)) kinds.emplace_back(kind);
    }
    if (kinds.size() != 1) {
      diag_.report(
          path,
          kinds.empty()
              ? "a canary step is a map with one of set_weight, " + pause_key + " or analysis" +
                    (syntax_ == Syntax::kYaml ? " (the deploy command goes in the node's run)" : "")
              : "a canary step has one of set_weight, " + pause_key + " or analysis, not several");
      return std::nullopt;
    }
    check(value, path, {"set_weight", "analysis"}, {"pause"});
    const Json& body = value[kinds.front()];
    std::string at = child_path(path, kinds.front());
    CanaryStep step;
    if (kinds.front() == "set_weight") {
      step.kind = CanaryStepKind::kSetWeight;
      auto weight = read_int(body, at, diag_, 0, 100);
      if (!weight) return std::nullopt;
      step.weight = static_cast<int>(*weight);
    } else if (kinds.front() == "analysis") {
      step.kind = CanaryStepKind::kAnalysis;
      step.analysis = analysis(body, at);
      if (!step.analysis) return std::nullopt;
    } else {
      step.kind = CanaryStepKind::kPause;
      if (!pause(body, at, step.pause)) return std::nullopt;
    }
    return step;
  }

  // `pause: 5m`, or null / `{}` (JSON: null) for "until promoted".
  bool pause(const Json& value, const std::string& path, std::optional<Millis>& out) {
    if (value.is_null()) return true;
    if (syntax_ == Syntax::kYaml && value.is_object()) {
      if (value.empty()) return true;
      diag_.report(path, "must be a duration such as 5m, or {} to wait until promoted");
      return false;
    }
    out = read_millis(value, path, Millis{1}, hours{24 * 7});
    return out.has_value();
  }

  std::optional<AnalysisSpec> analysis(const Json& value, const std::string& path) {
    if (!expect_map(value, path, diag_)) return std::nullopt;
    check(value, path,
          {"health", "command", "url", "metric", "aggregate", "threshold", "min_samples",
           "failure_limit"},
          {"interval", "timeout", "window"});
    AnalysisSpec a;
    if (const Json* v = member(value, "health"))
      a.health = health_check(*v, child_path(path, "health"));
    text(value, path, "command", kMaxCommandBytes, a.command);
    url(value, path, "url", a.url);
    metric(value, path, a);
    if (const Json* v = member(value, "threshold")) threshold(*v, child_path(path, "threshold"), a);
    count(value, path, "min_samples", 1, kMaxSampleCount, a.min_samples);
    count(value, path, "failure_limit", 1, kMaxSampleCount, a.failure_limit);
    duration(value, path, "interval", kMinProbeInterval, hours{1}, a.interval);
    duration(value, path, "timeout", kMinProbeInterval, hours{1}, a.timeout);
    auto given = [&](std::string_view key) {
      const Json* v = member(value, key);
      return v && !v->is_null() && !(v->is_string() && v->get_ref<const std::string&>().empty());
    };
    int sources = given("health") + given("command") + given("url") + given("metric");
    bool has_threshold = a.max || a.min;
    if (sources == 0) {
      diag_.report(path, "an analysis needs command (prints a number), url, metric or health");
    } else if (sources > 1) {
      diag_.report(path, "give one of command, url, metric or health, not several");
    } else if (syntax_ == Syntax::kYaml && !given("metric") &&
               (member(value, "aggregate") || member(value, "window"))) {
      // (The canonical JSON writes every key, so only YAML can misplace them.)
      diag_.report(path, "aggregate and window apply to a metric analysis only");
    } else if (given("health")) {
      if (has_threshold)
        diag_.report(child_path(path, "threshold"),
                     "applies to command or url samples; a health analysis passes or fails by "
                     "its probes");
    } else if (!has_threshold) {
      diag_.report(path,
                   "an analysis of command, url or metric needs threshold: {max: ...} or "
                   "{min: ...}");
    }
    return a;
  }

  // `metric: name` (as the ops-metrics ingest accepts it), `aggregate`
  // (default avg) and `window` (default: the interval).
  void metric(const Json& value, const std::string& path, AnalysisSpec& a) {
    std::string name;
    text(value, path, "metric", telemetry::kMaxMetricNameLength, name);
    if (!name.empty() && !telemetry::valid_metric_name(name)) {
      diag_.report(child_path(path, "metric"),
                   "'" + name.substr(0, 60) +
                       "' is not a metric name: a letter or '_', then letters, digits, '_', '.' "
                       "or ':'");
      name.clear();
    }
    a.metric = std::move(name);
    if (const Json* v = member(value, "aggregate"); v && !v->is_null()) {
      std::string at = child_path(path, "aggregate");
      if (auto text = read_string(*v, at, diag_, kMaxNameLength)) {
        if (auto aggregate = metric_aggregate_from_string(*text))
          a.aggregate = *aggregate;
        else
          diag_.report(at, "unknown aggregate '" + text->substr(0, 60) +
                               "'; expected one of avg, max, min, sum, count");
      }
    }
    if (const Json* v = member(value, duration_key("window")); v && !v->is_null()) {
      a.window = read_millis(*v, child_path(path, duration_key("window")), Millis{1000},
                             hours{24 * 7});
    }
  }

  void threshold(const Json& value, const std::string& path, AnalysisSpec& a) {
    if (value.is_null() || !expect_map(value, path, diag_)) return;
    check(value, path, {"max", "min"});
    for (auto [key, out] : {std::pair{"max", &a.max}, std::pair{"min", &a.min}}) {
      const Json* v = member(value, key);
      if (!v || v->is_null()) continue;
      if (!v->is_number() || !std::isfinite(v->get<double>())) {
        diag_.report(child_path(path, key), "must be a number, got " + std::string(json_kind(*v)));
        continue;
      }
      *out = v->get<double>();
    }
    if (a.max && a.min && *a.min > *a.max) diag_.report(path, "min must not be greater than max");
  }

  Syntax syntax_;
  Diagnostics& diag_;
};

}  // namespace

bool is_canary_step_list(const Json& steps) {
  if (!steps.is_array()) return false;
  for (const Json& entry : steps) {
    if (!entry.is_object()) continue;
    for (std::string_view kind : kCanaryStepKinds)
      if (member(entry, kind)) return true;
  }
  return false;
}

DeploySpec read_deploy_node(const Json& fields, const std::string& path, Diagnostics& diag) {
  SpecReader reader(SpecReader::Syntax::kYaml, diag);
  DeploySpec spec;
  StrategyAt at;
  if (const Json* v = member(fields, "strategy")) {
    at.path = child_path(path, "strategy");
    std::optional<DeployStrategy> strategy = reader.strategy_named(*v, at.path);
    at.valid = strategy.has_value();
    if (strategy) spec.strategy = *strategy;
  }
  const Json* with = member(fields, "with");
  const Json* old_place = with && with->is_object() ? member(*with, "strategy") : nullptr;
  if (old_place && old_place->is_string()) {
    std::string with_path = child_path(child_path(path, "with"), "strategy");
    std::optional<DeployStrategy> strategy = reader.strategy_named(*old_place, with_path);
    if (!strategy) {
      at.valid = false;
    } else if (at.path.empty()) {
      at.path = with_path;
      spec.strategy = *strategy;
    } else if (at.valid && *strategy != spec.strategy) {
      diag.report(with_path, "says " + std::string(to_string(*strategy)) + " but strategy says " +
                                 std::string(to_string(spec.strategy)) +
                                 "; give the strategy once");
    }
  }
  if (const Json* steps = member(fields, "steps"); steps && is_canary_step_list(*steps))
    spec.steps = reader.canary_steps(*steps, child_path(path, "steps"));
  reader.common(fields, path, spec);
  reader.check_strategy(at, path, spec);
  return spec;
}

DeploySpec read_deploy_json(const Json& value, const std::string& path, Diagnostics& diag) {
  SpecReader reader(SpecReader::Syntax::kJson, diag);
  DeploySpec spec;
  if (!expect_map(value, path, diag)) return spec;
  reader.check(value, path,
               {"strategy", "auto_rollback", "version", "health_check", "hooks", "switch",
                "cleanup", "traffic", "steps"},
               {"cleanup_delay"});
  StrategyAt at;
  if (const Json* v = member(value, "strategy")) {
    at.path = child_path(path, "strategy");
    std::optional<DeployStrategy> strategy = reader.strategy_named(*v, at.path);
    at.valid = strategy.has_value();
    if (strategy) spec.strategy = *strategy;
  }
  if (const Json* steps = member(value, "steps"))
    spec.steps = reader.canary_steps(*steps, child_path(path, "steps"));
  reader.common(value, path, spec);
  reader.check_strategy(at, path, spec);
  return spec;
}

}  // namespace opz::pipeline
