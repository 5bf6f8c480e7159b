// DeploySpec: what a `deploy` node says about HOW it deploys — the strategy
// (rolling, blue-green, canary with its steps), the health check, the hooks
// (migrate / seed / rollback) and the rollback policy. Read from the node's
// top-level keys (issue 9 "Interfaces"; `with: {strategy}` stays accepted):
//
//   deploy:
//     type: deploy
//     environment: Production
//     strategy: canary               # rolling (default) | blue_green | canary
//     version: "v{sha7}"             # optional; default: the execution's image tag
//     auto_rollback: true            # default: true for Production, else false
//     run: ./deploy.sh               # the deploy command (the node's steps; with canary
//                                    # steps below it must be `run`)
//     health_check:
//       http: {url: "http://127.0.0.1:8081/health", expect_status: 200, body_contains: "ok"}
//       # or: command: "curl -fsS http://..."
//       retries: 3                   # failed probes in a row that fail the check
//       interval: 1s
//       timeout: 2s
//       success_threshold: 1         # passing probes in a row that pass it
//     hooks:
//       migrate:
//         run: ./migrate.sh
//         when: pre_deploy           # pre_deploy | post_deploy; migrate's default
//         retry: {max_attempts: 6, initial: 2s, max: 60s}
//         deadline: 300s             # all attempts together
//       seed: {run: ./seed.sh}       # default when: post_deploy
//       rollback: {run: ./down.sh}   # run when this version is rolled back to
//     switch: ./switch.sh            # blue_green: point traffic at $OPZENIX_SLOT
//     cleanup: ./stop-idle.sh        # blue_green: stop the previous slot ...
//     cleanup_delay: 30s             # ... this long after the switch (default 0)
//     traffic: ./weights.sh          # canary: set $OPZENIX_CANARY_WEIGHT
//     steps:                         # canary; default 10% -> pause 5m -> 50% -> pause 5m -> 100%
//       - set_weight: 10
//       - pause: 5m                  # or `pause: {}`: until promoted through the API
//       - analysis:
//           command: "./error-rate.sh"      # prints a number; or url: (an http(s) GET whose
//                                           # body is a number), or health: {a health check}
//           threshold: {max: 0.01}          # or {min: ...}; the sample must satisfy it
//           min_samples: 5
//           interval: 1s
//           failure_limit: 1                # failing samples that abort
//       - set_weight: 100
//
// switch/cleanup/cleanup_delay are for blue_green only, traffic and canary
// steps for canary only. A deploy node's `steps` are canary steps when some
// entry has set_weight, pause or analysis; otherwise shell steps as on any
// node. Reading and validation: deploy_reader.h; the format with its errors:
// docs/pipeline-format.md "Deploy nodes".
//
// Plain values (== for the pipeline round-trip contract). Parsing is pure;
// every error names the field path (`nodes.deploy.steps[2].set_weight`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"

namespace opz::pipeline {

enum class DeployStrategy { kRolling, kBlueGreen, kCanary };
std::string_view to_string(DeployStrategy s);  // "rolling", "blue_green", "canary"
std::optional<DeployStrategy> deploy_strategy_from_string(std::string_view s);

// A probe: an HTTP GET (url http:// or https:// only) or a shell command.
struct HttpProbeSpec {
  std::string url;
  int expect_status = 200;
  std::string body_contains;  // empty: any body
  bool operator==(const HttpProbeSpec&) const = default;
};

struct HealthCheckSpec {
  std::optional<HttpProbeSpec> http;
  std::string command;        // exactly one of http / command is set
  int retries = 3;            // failing probes in a row that fail the check (>= 1)
  Millis interval{1000};      // between probes (>= 10 ms)
  Millis timeout{5000};       // one probe (>= 10 ms)
  int success_threshold = 1;  // passing probes in a row that pass the check (>= 1)
  bool operator==(const HealthCheckSpec&) const = default;
};

enum class HookWhen { kPreDeploy, kPostDeploy };
std::string_view to_string(HookWhen w);  // "pre_deploy", "post_deploy"
std::optional<HookWhen> hook_when_from_string(std::string_view s);

struct HookSpec {
  std::string run;  // shell command
  HookWhen when = HookWhen::kPreDeploy;
  // Attempts and backoff: default the seeds' 6 attempts, 2 s doubling to 60 s.
  int max_attempts = 6;
  Millis initial{2000};
  Millis max{60000};
  Millis deadline{300000};  // all attempts together
  bool operator==(const HookSpec&) const = default;
};

struct HooksSpec {
  std::optional<HookSpec> migrate;   // default when: pre_deploy
  std::optional<HookSpec> seed;      // default when: post_deploy
  std::optional<HookSpec> rollback;  // run when this version is rolled back to (when ignored)
  bool operator==(const HooksSpec&) const = default;
};

// How a metric analysis folds the samples in its window into one value.
enum class MetricAggregate { kAvg, kMax, kMin, kSum, kCount };
std::string_view to_string(MetricAggregate a);  // "avg", "max", "min", "sum", "count"
std::optional<MetricAggregate> metric_aggregate_from_string(std::string_view s);

// A canary analysis: exactly one of health / command / url / metric. A
// command, url or metric sample is judged against max and/or min (at least
// one is set); a health analysis passes or fails by its probes and has
// neither.
struct AnalysisSpec {
  std::optional<HealthCheckSpec> health;  // a health check as the analysis, or:
  std::string command;                    // prints one number
  std::string url;                        // http(s) GET whose body is one number
  // An ingested ops metric of the deployment's project (issue 13): each
  // sample is `aggregate` over its samples of the last `window` (nullopt:
  // the interval).
  std::string metric;
  MetricAggregate aggregate = MetricAggregate::kAvg;
  std::optional<Millis> window;
  std::optional<double> max;              // sample <= max passes
  std::optional<double> min;              // sample >= min passes
  int min_samples = 5;                    // samples before judging
  Millis interval{1000};
  Millis timeout{5000};
  int failure_limit = 1;  // failing samples (after min_samples were taken) that abort
  bool operator==(const AnalysisSpec&) const = default;
};

enum class CanaryStepKind { kSetWeight, kPause, kAnalysis };
struct CanaryStep {
  CanaryStepKind kind = CanaryStepKind::kSetWeight;
  int weight = 0;                        // kSetWeight: 0..100, strictly increasing over the steps
  std::optional<Millis> pause;           // kPause: nullopt = until promoted through the API
  std::optional<AnalysisSpec> analysis;  // kAnalysis
  bool operator==(const CanaryStep&) const = default;
};

struct DeploySpec {
  DeployStrategy strategy = DeployStrategy::kRolling;
  std::optional<bool> auto_rollback;  // nullopt: on for Production, off elsewhere
  std::string version;  // template ({sha}, {sha7}, {tag}, {branch}); empty: the image tag
  std::optional<HealthCheckSpec> health_check;
  HooksSpec hooks;
  std::string switch_command;   // blue_green (required there)
  std::string cleanup_command;  // blue_green, optional
  Millis cleanup_delay{0};
  std::string traffic_command;    // canary (required there): sets $OPZENIX_CANARY_WEIGHT
  std::vector<CanaryStep> steps;  // canary; empty in the file -> default_canary_steps()
  bool operator==(const DeploySpec&) const = default;
};

// 10% -> pause 5m -> 50% -> pause 5m -> 100% (seed 001 "Canary").
std::vector<CanaryStep> default_canary_steps();

// Whether a failed deploy to `environment` is rolled back automatically:
// spec.auto_rollback when given, else environment == "Production" (exact,
// case-sensitive, as environment names are).
bool auto_rollback_enabled(const DeploySpec& spec, std::string_view environment);

// The canonical JSON (pipeline_json's "deploy" member): every key written,
// the YAML keys with durations as "<key>_ms" integers (cleanup_delay_ms,
// interval_ms, pause_ms, ...), absent optionals as null, "" for no command;
// canary steps as {"set_weight": n} | {"pause_ms": n|null} | {"analysis": {...}}.
Json to_json(const DeploySpec& spec);
// Strict: unknown keys, wrong types and the YAML rules (deploy_reader.h) give
// kValidation with the JSON path (prefixed by `path`) as field. A missing key
// keeps its default, so specs stored before a key existed still read; a
// canary spec without steps reads default_canary_steps().
Result<DeploySpec> deploy_spec_from_json(const Json& json, std::string_view path = "deploy");

}  // namespace opz::pipeline
