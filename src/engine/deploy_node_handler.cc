#include "engine/deploy_node_handler.h"

#include <chrono>
#include <future>

#include "core/time_format.h"
#include "engine/deploy_facts.h"
#include "engine/ops_metric_source.h"

namespace opz::engine {

namespace {

constexpr auto kControlTimeout = std::chrono::seconds(10);

// Records what a DeploymentRun reports: messages and command output in the
// node's log, progress and probes on the deployment's rows (when it has
// one: an execution outside any project deploys unrecorded).
class RecordingEvents final : public deploy::DeployEvents {
 public:
  RecordingEvents(store::DeploymentStore& store, ExternalNodeReporter reporter)
      : store_(store), reporter_(std::move(reporter)) {}

  void set_deployment(std::string id) { deployment_id_ = std::move(id); }
  const std::string& slot() const { return slot_; }
  int weight() const { return weight_; }

  void log(const std::string& level, const std::string& message) override {
    reporter_.log(message, level);
  }
  void output(const std::string& line, bool is_stderr) override {
    reporter_.log(line, is_stderr ? "warn" : "info");
  }
  void progress(const std::string& phase, const std::string& slot, int canary_weight) override {
    slot_ = slot;
    weight_ = canary_weight;
    if (deployment_id_.empty()) return;
    if (auto s = store_.progress(deployment_id_, phase, slot, canary_weight); !s)
      reporter_.log("could not record the deployment's progress: " + s.error().message, "warn");
  }
  void probe(const deploy::ProbeRecord& p) override {
    reporter_.log(p.kind + " probe " + (p.ok ? "passed" : "failed") + " in " +
                      std::to_string(p.latency.count()) + " ms" +
                      (p.error.empty() ? "" : ": " + p.error),
                  p.ok ? "debug" : "warn");
    if (deployment_id_.empty()) return;
    store::DeploymentProbeRecord r;
    r.deployment_id = deployment_id_;
    r.kind = p.kind;
    r.target = p.target;
    r.ok = p.ok;
    r.latency_ms = p.latency.count();
    r.status_code = p.status_code;
    r.value = p.value;
    r.error = p.error;
    r.created_at = format_time(p.at);
    if (auto s = store_.record_probe(std::move(r)); !s)
      reporter_.log("could not record a probe: " + s.error().message, "warn");
  }

 private:
  store::DeploymentStore& store_;
  ExternalNodeReporter reporter_;
  std::string deployment_id_;
  std::string slot_;
  int weight_ = 0;
};

deploy::StableVersion stable_of(const store::DeploymentRecord& d) {
  return {d.id, d.version, d.commit_sha, d.image_tag, d.slot};
}

std::string finished_status(deploy::DeployOutcome o) {
  switch (o) {
    case deploy::DeployOutcome::kSucceeded:
      return "success";
    case deploy::DeployOutcome::kRolledBack:
      return "rolled_back";
    case deploy::DeployOutcome::kBlocked:
      return "blocked";
    case deploy::DeployOutcome::kCancelled:
      return "cancelled";
    case deploy::DeployOutcome::kFailed:
      break;
  }
  return "failed";
}

}  // namespace

struct DeployNodeHandler::Attempt {
  ExternalNodeRequest request;
  ExternalNodeReporter reporter;
  DeployFacts facts;
  store::DeploymentRecord row;
  std::optional<store::DeploymentRecord> stable;
  std::unique_ptr<RecordingEvents> events;
  std::shared_ptr<deploy::DeploymentRun> run;
  bool cancelled = false;  // before the run existed
  bool done = false;
};

DeployNodeHandler::DeployNodeHandler(DeployNodeHandlerDeps deps) : deps_(std::move(deps)) {}

DeployNodeHandler::~DeployNodeHandler() = default;

std::string DeployNodeHandler::key(const std::string& execution_id, const std::string& node_id,
                                   int attempt) {
  return execution_id + "\n" + node_id + "\n" + std::to_string(attempt);
}

Result<int> DeployNodeHandler::close_interrupted() {
  int closed = 0;
  store::DeploymentFilter filter;
  filter.status = "running";
  while (true) {
    OPZ_TRY(auto page, deps_.deployments.list(filter, store::PageRequest{}));
    if (page.items.empty()) break;
    for (const store::DeploymentRecord& d : page.items) {
      OPZ_TRY_STATUS(deps_.deployments.finish(
          d.id, "failed", "interrupted: the server stopped during the deployment", false));
      ++closed;
    }
  }
  return closed;
}

void DeployNodeHandler::start(const ExternalNodeRequest& request, ExternalNodeReporter reporter) {
  auto a = std::make_shared<Attempt>();
  a->request = request;
  a->reporter = std::move(reporter);
  {
    std::lock_guard lock(mu_);
    attempts_[key(request.execution_id, request.node_id, request.attempt)] = a;
  }
  deps_.timers.post([this, a] { begin(a); });
}

void DeployNodeHandler::cancel(const std::string& execution_id, const std::string& node_id,
                               int attempt) {
  std::shared_ptr<Attempt> a;
  {
    std::lock_guard lock(mu_);
    auto it = attempts_.find(key(execution_id, node_id, attempt));
    if (it == attempts_.end()) return;
    a = it->second;
  }
  deps_.timers.post([a] {
    a->cancelled = true;
    if (a->run) a->run->cancel();
  });
}

void DeployNodeHandler::begin(const std::shared_ptr<Attempt>& a) {
  const ExternalNodeRequest& r = a->request;
  auto fail = [&](const std::string& why) {
    a->done = true;
    a->reporter.finish({false, why, {}});
    std::lock_guard lock(mu_);
    attempts_.erase(key(r.execution_id, r.node_id, r.attempt));
  };
  if (a->cancelled) return fail("cancelled before the deployment started");
  auto facts = deploy_facts(r);
  if (!facts) return fail(facts.error().message);
  a->facts = std::move(*facts);
  const pipeline::DeploySpec spec = r.node.deploy.value_or(pipeline::DeploySpec{});

  // Outside any project there is nothing to record against: the strategy
  // still runs (a deploy in an ad-hoc execution), unrecorded.
  const bool recorded = !r.project_id.empty();
  // An attempt the server did not see finish (a restart) is over.
  if (recorded) {
    auto prior = deps_.deployments.find_for_node(r.execution_id, r.node_id);
    if (prior && prior->status == "running")
      (void)deps_.deployments.finish(prior->id, "failed",
                                     "interrupted: the server stopped during the deployment", false);
  }
  if (recorded) {
    auto stable = deps_.deployments.current_deployment(r.project_id, r.environment);
    if (!stable) return fail("could not read the current deployment: " + stable.error().message);
    a->stable = *stable;
  }

  store::DeploymentRecord d;
  d.execution_id = r.execution_id;
  d.node_id = r.node_id;
  d.project_id = r.project_id;
  d.environment = r.environment;
  d.version = a->facts.version;
  d.commit_sha = a->facts.commit_sha;
  d.image_tag = a->facts.image_tag;
  d.artifact_id = a->facts.artifact_id;
  if (d.artifact_id.empty()) {
    if (auto artifacts = deps_.history.artifacts(r.execution_id);
        artifacts && !artifacts->empty())
      d.artifact_id = artifacts->back().id;
  }
  d.strategy = std::string(pipeline::to_string(spec.strategy));
  d.deployed_by = r.started_by;
  d.rollback_of = a->facts.rollback_of;
  d.reason = a->facts.reason;
  d.phase = "starting";
  if (!recorded) {
    // d.id stays empty: nothing is written.
  } else if (!a->facts.deployment_id.empty()) {
    d.id = a->facts.deployment_id;
    if (auto s = deps_.deployments.start(d); !s) {
      if (s.error().code != ErrorCode::kNotFound)
        return fail("could not start deployment " + d.id + ": " + s.error().message);
      auto created = deps_.deployments.create(d);
      if (!created) return fail("could not record the deployment: " + created.error().message);
      if (auto again = deps_.deployments.start(d); !again)
        return fail("could not start deployment " + d.id + ": " + again.error().message);
    }
  } else {
    auto created = deps_.deployments.create(d);
    if (!created) return fail("could not record the deployment: " + created.error().message);
    d.id = created->id;
    if (auto s = deps_.deployments.start(d); !s)
      return fail("could not start deployment " + d.id + ": " + s.error().message);
  }
  a->row = d;
  a->events = std::make_unique<RecordingEvents>(deps_.deployments, a->reporter);
  a->events->set_deployment(d.id);

  deploy::DeployTarget target;
  target.deployment_id = d.id;
  target.project_id = r.project_id;
  target.environment = r.environment;
  target.version = d.version;
  target.commit_sha = d.commit_sha;
  target.image_tag = d.image_tag;
  target.replicas = a->facts.replicas;
  target.env = r.env;
  target.workspace = r.workspace;
  target.steps = r.node.steps;
  target.is_rollback = a->facts.kind == "rollback";
  std::optional<deploy::StableVersion> stable_version;
  if (a->stable) stable_version = stable_of(*a->stable);
  const bool auto_rollback = pipeline::auto_rollback_enabled(spec, r.environment);
  a->reporter.log("deploying " + d.version + " to " + r.environment + " (" + d.strategy +
                      (a->stable ? ", replacing " + a->stable->version : ", first deployment") +
                      (auto_rollback ? ", automatic rollback on" : "") + "); deployment " + d.id,
                  "info");
  deploy::MetricSource metrics;
  if (deps_.ops_metrics_db && recorded)
    metrics = ops_metric_source(*deps_.ops_metrics_db, deps_.clock, r.project_id);
  std::weak_ptr<Attempt> weak = a;
  // A finished run's pending blue-green cleanup would stop the slot we deploy into.
  if (auto it = latest_runs_.find(r.project_id + "\n" + r.environment); it != latest_runs_.end()) {
    it->second->cancel();
    latest_runs_.erase(it);
  }
  a->run = deploy::DeploymentRun::create(
      spec, std::move(target), std::move(stable_version), auto_rollback,
      deploy::DeploySeams{deps_.runner, deps_.prober, deps_.timers, deps_.clock, metrics},
      *a->events,
      [this, weak](deploy::DeployResult result) {
        if (auto attempt = weak.lock()) finished(attempt, result);
      });
  a->run->start();
}

void DeployNodeHandler::finished(const std::shared_ptr<Attempt>& a,
                                 const deploy::DeployResult& result) {
  if (a->done) return;
  a->done = true;
  const ExternalNodeRequest& r = a->request;
  store::DeploymentRecord& d = a->row;
  d.status = finished_status(result.outcome);
  d.reason = result.error.empty() ? d.reason : result.error;
  if (!result.slot.empty()) d.slot = result.slot;
  DeploymentOutcome outcome{d, std::string(deploy::to_string(result.outcome)), result.error,
                            false};
  std::string node_error;
  auto hold = [&](const std::string& bad_version, const std::string& why) {
    store::DeploymentHoldRecord h;
    h.project_id = d.project_id;
    h.environment = d.environment;
    h.deployment_id = d.id;
    h.version_tag = bad_version;
    h.reason = why;
    h.created_by = d.deployed_by.empty() ? "opzenix" : d.deployed_by;
    if (auto held = deps_.deployments.hold(std::move(h)); held) {
      outcome.hold_created = true;
      a->reporter.log("automatic deploys to " + d.environment + " are held until the hold is released",
                      "warn");
    } else {
      a->reporter.log("could not hold automatic deploys: " + held.error().message, "error");
    }
  };

  if (d.id.empty()) {
    if (result.outcome != deploy::DeployOutcome::kSucceeded)
      node_error = d.reason.empty() ? "deployment " + d.status : d.reason;
  } else if (result.outcome == deploy::DeployOutcome::kSucceeded) {
    if (!d.slot.empty() || a->events->weight() != 0)
      (void)deps_.deployments.progress(d.id, "done", d.slot, a->events->weight());
    auto version = deps_.deployments.succeed(d.id);
    if (!version) {
      node_error = "the deployment succeeded but could not be recorded: " + version.error().message;
    } else if (a->facts.kind == "rollback" && a->stable && a->stable->version != d.version) {
      const std::string why = "rolled back to " + d.version +
                              (a->facts.reason.empty() ? "" : ": " + a->facts.reason);
      (void)deps_.deployments.mark_bad(d.project_id, d.environment, a->stable->version, why);
      hold(a->stable->version, why);
    }
  } else {
    const bool bad = result.outcome == deploy::DeployOutcome::kRolledBack;
    if (auto s = deps_.deployments.finish(d.id, d.status, d.reason, bad); !s)
      a->reporter.log("could not record the deployment's end: " + s.error().message, "error");
    if (bad) hold(d.version, d.reason);
    node_error = d.reason.empty() ? "deployment " + d.status : d.reason;
  }
  if (deps_.on_finished && !d.id.empty()) deps_.on_finished(outcome);
  if (a->run) latest_runs_[d.project_id + "\n" + d.environment] = a->run;

  ExternalNodeResult node_result;
  node_result.success = node_error.empty();
  node_result.error = node_error;
  if (!d.id.empty()) node_result.outputs.emplace_back("deployment_id", d.id);
  node_result.outputs.emplace_back("version", d.version);
  if (!d.slot.empty()) node_result.outputs.emplace_back("slot", d.slot);
  a->reporter.finish(std::move(node_result));
  std::lock_guard lock(mu_);
  attempts_.erase(key(r.execution_id, r.node_id, r.attempt));
}

Status DeployNodeHandler::on_loop(const std::function<Status()>& fn) {
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  deps_.timers.post([fn, promise] { promise->set_value(fn()); });
  if (future.wait_for(kControlTimeout) != std::future_status::ready)
    return Error::unavailable("the deployment loop did not answer in time");
  return future.get();
}

Status DeployNodeHandler::promote(const std::string& deployment_id) {
  return on_loop([this, deployment_id]() -> Status {
    std::shared_ptr<Attempt> found;
    {
      std::lock_guard lock(mu_);
      for (auto& [k, a] : attempts_)
        if (a->row.id == deployment_id && a->run && !a->done) found = a;
    }
    if (!found) return Error::not_found("deployment " + deployment_id + " is not running here");
    if (!found->run->promote())
      return Error::conflict("deployment " + deployment_id + " is not paused");
    return {};
  });
}

Status DeployNodeHandler::abort(const std::string& deployment_id, const std::string& reason) {
  return on_loop([this, deployment_id, reason]() -> Status {
    std::shared_ptr<Attempt> found;
    {
      std::lock_guard lock(mu_);
      for (auto& [k, a] : attempts_)
        if (a->row.id == deployment_id && a->run && !a->done) found = a;
    }
    if (!found) return Error::not_found("deployment " + deployment_id + " is not running here");
    if (!found->run->abort(reason))
      return Error::conflict("deployment " + deployment_id + " is not a running canary");
    return {};
  });
}

}  // namespace opz::engine
