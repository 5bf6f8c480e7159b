// Fixtures for the deployment tests: the fakes wired into DeploySeams, a
// DeploymentRun started with them, and shortcuts that finish the current
// command and let the loop (ManualTimers) run what that caused.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deploy/deploy_environment.h"
#include "deploy/deployment_run.h"
#include "deploy_fakes.h"

namespace opz::deploy::testing {

class DeployFakes {
 public:
  ManualClock clock;
  ManualTimers timers{clock};
  RecordingRunner runner;
  FakeProber prober;
  RecordingEvents events;

  DeploySeams seams() { return DeploySeams{runner, prober, timers, clock}; }

  // Finishes the oldest running command and runs what it caused.
  void finish(int exit_code, const std::vector<std::string>& stdout_lines = {}) {
    runner.finish(exit_code, stdout_lines);
    timers.drain();
  }
  std::string current_command() const {
    const auto* p = runner.current();
    return p == nullptr ? "<none>" : p->spec.command;
  }
  // OPZENIX_* (or any) variable the `index`-th started command saw.
  std::string env_of(size_t index, std::string_view key) const {
    return env_value(runner.processes.at(index).spec.env, key).value_or("<unset>");
  }
  std::string current_env(std::string_view key) const {
    const auto* p = runner.current();
    if (p == nullptr) return "<no command>";
    return env_value(p->spec.env, key).value_or("<unset>");
  }
};

class DeployRunTest : public ::testing::Test, public DeployFakes {
 protected:
  static DeployTarget make_target(std::string version = "v2") {
    DeployTarget t;
    t.deployment_id = "dep-2";
    t.project_id = "proj-1";
    t.environment = "Production";
    t.version = version;
    t.commit_sha = "sha-" + version;
    t.image_tag = "tag-" + version;
    t.replicas = 3;
    t.env = {"PATH=/usr/bin", "OPZENIX_VERSION=from-step-env", "APP=web"};
    t.workspace = "/ws/proj-1";
    t.steps = {pipeline::Step{"", "./deploy.sh"}};
    return t;
  }
  static StableVersion make_stable(std::string slot = "") {
    return StableVersion{"dep-1", "v1", "sha-v1", "tag-v1", std::move(slot)};
  }

  void start(pipeline::DeploySpec spec, std::optional<StableVersion> stable = std::nullopt,
             bool auto_rollback = false, DeployTarget target = make_target()) {
    run = DeploymentRun::create(std::move(spec), std::move(target), std::move(stable),
                                auto_rollback, seams(), events, [this](DeployResult r) {
                                  result = std::move(r);
                                  ++done_calls;
                                });
    run->start();
    timers.drain();
  }

  // A run left unfinished keeps itself alive; end it as the engine would.
  void TearDown() override {
    if (run) run->cancel();
    timers.drain();
  }

  DeployOutcome outcome() const {
    EXPECT_TRUE(result.has_value()) << "the run is not done";
    return result ? result->outcome : DeployOutcome::kCancelled;
  }

  std::shared_ptr<DeploymentRun> run;
  std::optional<DeployResult> result;
  int done_calls = 0;
};

inline pipeline::HealthCheckSpec http_check(int retries = 3, int success_threshold = 1) {
  pipeline::HealthCheckSpec hc;
  hc.http = pipeline::HttpProbeSpec{"http://127.0.0.1:8081/health", 200, "ok"};
  hc.retries = retries;
  hc.success_threshold = success_threshold;
  hc.interval = Millis{1000};
  hc.timeout = Millis{2000};
  return hc;
}

}  // namespace opz::deploy::testing
