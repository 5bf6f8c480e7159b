// DeploymentRun: one deployment of one version to one environment, driven by
// its strategy (pipeline::DeploySpec): hooks, the deploy command, health
// checks, the blue-green switch, canary weights, pauses and analysis, and the
// automatic rollback when a check fails after the deploy.
//
// Seams (no I/O of its own): commands go through runner::Runner, probes
// through Prober, waiting through DeployTimers, time through Clock, and every
// fact worth recording through DeployEvents. Tests drive it with recording
// fakes and a hand-advanced clock; production wires LocalRunner, an HTTP
// prober and a TaskQueue-backed loop (deploy/deploy_loop.h).
//
// Threading: every method and every callback into the run must happen on one
// thread (the deploy loop): the Runner's and Prober's callbacks are posted
// through DeployTimers::post. `done` is called exactly once.
//
// Strategy summary (issue 9):
//   rolling     pre hooks -> deploy command (the node's steps) -> health check
//               -> post hooks.
//   blue_green  pre hooks -> deploy to the idle slot (OPZENIX_SLOT) -> health
//               check it -> switch command -> post hooks -> cleanup of the
//               previous slot after cleanup_delay (the run is done before the
//               cleanup; a new run for the environment must cancel() the
//               previous run, which drops its pending cleanup: that cleanup
//               would stop the slot the new run deploys to).
//   canary      pre hooks -> deploy the canary (OPZENIX_CANARY_WEIGHT=0) ->
//               steps: set_weight (traffic command), pause (timer, or until
//               promote()), analysis (samples every interval; judged only
//               after min_samples; failure_limit failing samples abort) ->
//               post hooks. An abort sets the weight back to 0: the stable
//               version keeps all traffic.
// Hooks retry with exponential backoff (initial doubling to max, max_attempts,
// all within deadline). A failing pre_deploy hook ends the run kBlocked
// before anything changed; a failing post_deploy hook fails it (and triggers
// the rollback policy). When the health check or analysis fails after the
// deploy and auto_rollback is on: rolling redeploys `stable` (its version,
// commit and image tag, same command and health check), blue_green switches
// back to the previous slot (if it had switched), canary sets weight 0; the
// outcome is kRolledBack (or kFailed when the rollback itself failed).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "deploy/metric_source.h"
#include "pipeline/deploy_spec.h"
#include "pipeline/model.h"
#include "runner/runner.h"

namespace opz::deploy {

// What is deployed. `env` is the node's step environment ("KEY=VALUE", from
// the engine); the run adds OPZENIX_VERSION, OPZENIX_COMMIT_SHA,
// OPZENIX_IMAGE_TAG, OPZENIX_REPLICAS, OPZENIX_ENVIRONMENT, OPZENIX_DEPLOYMENT_ID,
// OPZENIX_STRATEGY and per strategy OPZENIX_SLOT / OPZENIX_PREVIOUS_SLOT /
// OPZENIX_CANARY_WEIGHT (later entries win).
struct DeployTarget {
  std::string deployment_id;
  std::string project_id;
  std::string environment;
  std::string version;
  std::string commit_sha;
  std::string image_tag;
  int replicas = 1;
  std::vector<std::string> env;
  std::string workspace;              // cwd of every command
  std::vector<pipeline::Step> steps;  // the deploy command(s), run in order
  bool is_rollback = false;           // run hooks.rollback first (if defined)
};

// The version that serves traffic now (nullopt: first deployment).
struct StableVersion {
  std::string deployment_id;
  std::string version;
  std::string commit_sha;
  std::string image_tag;
  std::string slot;  // blue_green: "blue" | "green"; empty otherwise
};

enum class DeployOutcome {
  kSucceeded,   // the new version serves traffic
  kFailed,      // failed; nothing was restored (or the restore failed too)
  kBlocked,     // a pre_deploy hook failed before anything changed
  kRolledBack,  // failed after the deploy; the stable version was restored
  kCancelled
};
std::string_view to_string(DeployOutcome o);  // "succeeded", "failed", ...

struct DeployResult {
  DeployOutcome outcome = DeployOutcome::kFailed;
  std::string error;  // why it did not succeed: "health check failed: ...", ...
  std::string slot;   // blue_green: the slot now serving traffic
  // When a check failed: the time of its first failing sample and of the
  // abort (weight 0 / switch back / redeploy started).
  std::optional<TimePoint> first_failure_at;
  std::optional<TimePoint> aborted_at;
};

// One probe (health check or analysis sample) as recorded.
struct ProbeRecord {
  std::string kind;    // "health" | "analysis"
  std::string target;  // url or command
  bool ok = false;
  Millis latency{0};
  std::optional<int> status_code;
  std::optional<double> value;
  std::string error;
  TimePoint at{};
};

// Used only until `done` is called: after it the run reports nothing (the
// caller may destroy its events while a blue_green cleanup is pending).
class DeployEvents {
 public:
  virtual ~DeployEvents() = default;
  // level: debug | info | warn | error.
  virtual void log(const std::string& level, const std::string& message) = 0;
  // Output lines of a command the run started (hook, deploy, switch, ...).
  virtual void output(const std::string& line, bool is_stderr) = 0;
  // phase: "hook migrate", "deploying", "health_check", "switching",
  // "canary 10%", "paused", "analysis", "rolling_back".
  virtual void progress(const std::string& phase, const std::string& slot, int canary_weight) = 0;
  virtual void probe(const ProbeRecord& probe) = 0;
};

// A probe's answer. For HTTP: status and body (truncated to 64 KiB); for a
// command: exit code 0 = ok, stdout as body (analysis reads a number from it).
struct ProbeResponse {
  bool ok = false;            // transport-level success (connected, exited)
  std::optional<int> status;  // HTTP status
  std::string body;
  std::string error;
  Millis latency{0};
};

class Prober {
 public:
  virtual ~Prober() = default;
  // GET `url` within `timeout`; `done` exactly once, from any thread.
  virtual void get(const std::string& url, Millis timeout,
                   std::function<void(ProbeResponse)> done) = 0;
};

// Waiting and serialization: the run's thread.
// post_after has no cancel: the run ignores timers it no longer waits for.
// The Runner's callbacks for the run's processes post here, so the Runner
// must stop calling back (shut down) before the timers are destroyed. A run
// never finished (cancel() not called) while its timers stopped stays alive.
class DeployTimers {
 public:
  virtual ~DeployTimers() = default;
  virtual void post(std::function<void()> task) = 0;
  virtual void post_after(Millis delay, std::function<void()> task) = 0;
};

struct DeploySeams {
  runner::Runner& runner;
  Prober& prober;
  DeployTimers& timers;
  const Clock& clock;
  MetricSource metrics = {};  // canary `metric` analyses (deploy/metric_source.h)
};

class DeploymentRun : public std::enable_shared_from_this<DeploymentRun> {
 public:
  // Validated spec (pipeline front ends checked it). `stable`: what serves
  // traffic now (restored on rollback); `auto_rollback`: the resolved policy.
  static std::shared_ptr<DeploymentRun> create(pipeline::DeploySpec spec, DeployTarget target,
                                               std::optional<StableVersion> stable,
                                               bool auto_rollback, DeploySeams seams,
                                               DeployEvents& events,
                                               std::function<void(DeployResult)> done);
  virtual ~DeploymentRun() = default;
  virtual void start() = 0;
  // Stops the current command/probe/timer; done(kCancelled). Idempotent.
  virtual void cancel() = 0;
  // Canary: end the current pause now (a pause without duration waits for
  // this). False when not paused.
  virtual bool promote() = 0;
  // Canary: abort now as if the analysis failed (weight 0). False when not a
  // running canary.
  virtual bool abort(const std::string& reason) = 0;
  virtual const DeployTarget& target() const = 0;
};

}  // namespace opz::deploy
