#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <thread>

#include "core/time_format.h"
#include "engine/engine_metrics.h"
#include "engine/node_outputs.h"
#include "engine/run_builder.h"
#include "engine/scheduler.h"
#include "pipeline/pipeline_json.h"

namespace opz::engine {

namespace {

std::vector<store::ExecutionNodeRecord> node_rows(const ExecutionRun& run) {
  std::vector<store::ExecutionNodeRecord> rows;
  rows.reserve(run.nodes.size());
  for (const NodeRuntime& n : run.nodes) rows.push_back(n.row);
  return rows;
}


// The outbound guard's verdict on a git workspace (EngineOptions::outbound).
Status check_workspace(const EngineOptions& options, const WorkspaceSource& source) {
  if (!options.outbound || source.kind != WorkspaceSource::Kind::kGit) return {};
  return options.outbound->validate(source.git_url, "workspace.url", net::UrlKind::kGit);
}

}  // namespace

Engine::Engine(ExecutionJournal& journal, runner::Runner& runner, EventBus& bus,
               const Clock& clock, EngineOptions options, telemetry::MetricsRegistry* metrics)
    : journal_(journal),
      runner_(runner),
      bus_(bus),
      clock_(clock),
      options_(std::move(options)),
      ownership_(options_.ownership ? *options_.ownership
                                    : static_cast<ExecutionOwnership&>(sole_owner_)),
      metrics_(std::make_unique<EngineMetrics>(metrics)) {}

Engine::~Engine() { stop(); }

void Engine::register_external_handler(const std::string& type,
                                       std::shared_ptr<ExternalNodeHandler> handler) {
  handlers_[type] = std::move(handler);
}

void Engine::start() {
  if (scheduler_) return;
  scheduler_ = std::make_unique<Scheduler>(journal_, runner_, bus_, clock_, options_, *metrics_,
                                           loop_.queue(), handlers_, ownership_);
  Scheduler* s = scheduler_.get();
  loop_.post([s] { s->start_periodic(); });
  loop_.start([s] { s->after_round(Scheduler::Commit::kMayWait); });
}

void Engine::stop() {
  // A round waiting for the commit window is written before the loop ends.
  if (Scheduler* s = scheduler_.get(); s && loop_.running() && !loop_.in_loop_thread())
    (void)call<Status>([s] {
      s->commit_pending();
      return ok_status();
    });
  loop_.stop();
  // The scheduler (and every in-memory run) goes with the loop; the journal
  // keeps the executions 'running' for recover().
}

template <typename R>
R Engine::call(std::function<R()> fn) {
  if (!scheduler_ || !loop_.running()) return Error::unavailable("the engine is not running");
  if (loop_.in_loop_thread()) {
    // A handler's start()/cancel() or an EventBus on_ready callback: running
    // the command here would re-enter the scheduler in the middle of a round.
    return Error::internal(
        "Engine commands must not be called on the engine thread (ExternalNodeHandler "
        "start/cancel, EventBus on_ready); call from another thread");
  }
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> future = promise->get_future();
  if (!loop_.post([promise, fn = std::move(fn)] { promise->set_value(fn()); }))
    return Error::unavailable("the engine is stopping");
  // A task dropped by stop() breaks the promise; poll so we notice.
  while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    if (!loop_.running()) return Error::unavailable("the engine stopped");
  }
  return future.get();
}

Result<RecoveryReport> Engine::recover() {
  Scheduler* s = scheduler_.get();
  auto report = call<Result<RecoveryReport>>([s] { return s->recover(); });
  if (report) {
    spdlog::info(
        "engine: resumed {} execution(s): {} node(s) retried, {} failed, {} leftover "
        "process(es) killed, {} on agents (adopted where their jobs hold)",
        report->executions, report->nodes_retried, report->nodes_failed, report->processes_killed,
        report->nodes_on_agents);
  }
  return report;
}

Result<store::ExecutionRecord> Engine::submit(NewExecution request) {
  std::vector<NewExecution> one;
  one.push_back(std::move(request));
  return std::move(submit_many(std::move(one)).front());
}

std::vector<Result<store::ExecutionRecord>> Engine::submit_many(
    std::vector<NewExecution> requests) {
  std::vector<Result<store::ExecutionRecord>> results;
  results.reserve(requests.size());
  if (!scheduler_ || !loop_.running()) {
    for (size_t i = 0; i < requests.size(); ++i)
      results.emplace_back(Error::unavailable("the engine is not running"));
    return results;
  }
  // Build every run (validation fails a request alone), then create them a
  // chunk at a time: one transaction per chunk, short enough that the other
  // writers (the engine's own rounds, webhook deliveries) are not held up.
  struct Built {
    size_t index;
    std::unique_ptr<ExecutionRun> run;
    bool held;
  };
  std::vector<Built> built;
  built.reserve(requests.size());
  const TimePoint now = clock_.now();
  for (NewExecution& request : requests) {
    results.emplace_back(Error::internal("not created"));
    if (Status checked = check_workspace(options_, request.workspace); !checked.ok()) {
      results.back() = checked.error();
      continue;
    }
    const bool held = request.held;
    auto run = build_new_run(std::move(request), options_.data_dir, now,
                             scheduler_->max_parallel());
    if (!run) {
      results.back() = run.error();
      continue;
    }
    built.push_back({results.size() - 1, std::move(run).value(), held});
  }
  std::vector<std::unique_ptr<ExecutionRun>> to_start;
  std::vector<size_t> started;  // results' indexes of to_start
  for (size_t from = 0; from < built.size(); from += kSubmitChunk) {
    const size_t to = std::min(built.size(), from + kSubmitChunk);
    std::vector<std::vector<store::ExecutionNodeRecord>> nodes;
    nodes.reserve(to - from);
    std::vector<store::NewExecutionRows> rows;
    rows.reserve(to - from);
    for (size_t i = from; i < to; ++i) {
      nodes.push_back(node_rows(*built[i].run));
      rows.push_back({built[i].run->row, nodes.back()});
    }
    const Status created = journal_.create_many(rows);
    for (size_t i = from; i < to; ++i) {
      Built& b = built[i];
      if (!created.ok()) {
        results[b.index] = created.error();
        continue;
      }
      store::ExecutionRecord record = b.run->row;
      record.pipeline.clear();
      b.run->row.pipeline.clear();
      b.run->row.pipeline.shrink_to_fit();
      results[b.index] = std::move(record);
      if (b.held) continue;  // governance releases it (release())
      to_start.push_back(std::move(b.run));
      started.push_back(b.index);
    }
  }
  if (to_start.empty()) return results;
  auto holder = std::make_shared<std::vector<std::unique_ptr<ExecutionRun>>>(std::move(to_start));
  Scheduler* s = scheduler_.get();
  if (!loop_.post([s, holder] {
        for (auto& run : *holder) s->add(std::move(run));
      })) {
    // Created but not started: the next recover() starts them.
    for (size_t i : started)
      results[i] = Error::unavailable("the engine stopped; the execution starts after a restart");
  }
  return results;
}

Status Engine::release(const std::string& execution_id, const std::string& reason) {
  Scheduler* s = scheduler_.get();
  return call<Status>([=] { return s->release(execution_id, reason); });
}

Status Engine::cancel(const std::string& execution_id, const std::string& reason,
                      const std::string& actor) {
  Scheduler* s = scheduler_.get();
  auto a = call<Result<CommandAnswer>>(
      [=]() -> Result<CommandAnswer> { return s->cancel(execution_id, reason, actor); });
  if (!a) return a.error();
  return answer(*a, execution_id, "cancel", Json{{"reason", reason}}, actor);
}

Status Engine::resolve_approval(const std::string& execution_id, const std::string& node_id,
                                bool approved, const std::string& actor,
                                const std::string& reason) {
  Scheduler* s = scheduler_.get();
  auto a = call<Result<CommandAnswer>>([=]() -> Result<CommandAnswer> {
    return s->resolve_approval(execution_id, node_id, approved, actor, reason);
  });
  if (!a) return a.error();
  return answer(*a, execution_id, "approval",
                Json{{"node_id", node_id}, {"approved", approved}, {"reason", reason}}, actor);
}

Status Engine::force_fail(const std::string& execution_id, const std::string& reason,
                          const std::string& actor) {
  Scheduler* s = scheduler_.get();
  auto a = call<Result<CommandAnswer>>(
      [=]() -> Result<CommandAnswer> { return s->force_fail(execution_id, reason, actor); });
  if (!a) return a.error();
  return answer(*a, execution_id, "force_fail", Json{{"reason", reason}}, actor);
}

Status Engine::answer(const CommandAnswer& a, const std::string& execution_id,
                      const std::string& kind, const Json& payload, const std::string& actor) {
  if (a.forward_to.empty()) return a.status;
  OPZ_TRY(int64_t command,
          ownership_.send_command(a.forward_to, execution_id, kind, payload, actor));
  const auto deadline = std::chrono::steady_clock::now() + options_.command_answer_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    OPZ_TRY(std::optional<Status> outcome, ownership_.command_result(command));
    if (outcome) return *outcome;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Answer it ourselves, so that the owner never runs it late; if the owner
  // answered in between, that answer stands.
  const Error silent = Error::unavailable("the owning server (" + a.forward_to +
                                          ") did not answer within " +
                                          std::to_string(std::chrono::duration_cast<
                                                         std::chrono::seconds>(
                                                             options_.command_answer_timeout)
                                                             .count()) +
                                          "s; nothing changed");
  if (!ownership_.complete_command(command, silent)) {
    OPZ_TRY(std::optional<Status> outcome, ownership_.command_result(command));
    if (outcome) return *outcome;
  }
  return silent;
}

Status Engine::check_ownership() {
  Scheduler* s = scheduler_.get();
  return call<Status>([s]() -> Status {
    s->ownership_round();
    return {};
  });
}

Result<EngineSnapshot> Engine::snapshot() {
  Scheduler* s = scheduler_.get();
  return call<Result<EngineSnapshot>>([s]() -> Result<EngineSnapshot> { return s->snapshot(); });
}

Result<store::ExecutionRecord> Engine::rerun(const std::string& execution_id,
                                             const RerunRequest& request,
                                             const std::string& actor) {
  if (!scheduler_ || !loop_.running()) return Error::unavailable("the engine is not running");
  OPZ_TRY(store::ExecutionDetail original, journal_.load(execution_id));
  auto status = execution_status_from_string(original.execution.status);
  if (!status || !is_terminal(*status))
    return Error::conflict("execution " + execution_id + " is " + original.execution.status +
                           "; only a finished execution can be rerun");
  if (original.execution.pipeline.empty())
    return Error::conflict("execution " + execution_id + " has no pipeline to rerun");
  std::optional<store::CheckpointRecord> checkpoint;
  if (!request.checkpoint_id.empty()) {
    OPZ_TRY(store::CheckpointRecord cp, journal_.checkpoint(request.checkpoint_id));
    checkpoint = std::move(cp);
  }
  OPZ_TRY(auto restores, rerun_restores(original, checkpoint, request.failed_only));
  OPZ_TRY(Json snapshot, parse_json(original.execution.pipeline));
  OPZ_TRY(pipeline::Pipeline pipeline, pipeline::pipeline_from_json(snapshot));

  const store::ExecutionRecord& old = original.execution;
  NewExecution n;
  n.name = old.name;
  n.project_id = old.project_id;
  n.flow_template_id = old.flow_template_id;
  n.pipeline = std::move(pipeline);
  n.environment = old.environment;
  n.branch = old.branch;
  n.commit_sha = old.commit_hash;
  n.started_by = actor;
  n.trigger_type = "rerun";
  n.governance_status = request.governance_status;
  n.held = request.held;
  // What shapes the run is kept; a trigger's bookkeeping (delivery ids) is not.
  for (const char* key : {"ci_only"})
    if (old.metadata.contains(key)) n.metadata[key] = old.metadata[key];
  if (old.metadata.contains("tag") && old.metadata["tag"].is_string())
    n.tag = old.metadata["tag"].get<std::string>();
  if (old.metadata.contains("workspace")) {
    OPZ_TRY(n.workspace, WorkspaceSource::from_json(old.metadata["workspace"]));
  }
  if (request.metadata.is_object())
    for (const auto& [key, value] : request.metadata.items()) n.metadata[key] = value;
  n.metadata["rerun_of"] = execution_id;
  if (checkpoint)
    n.metadata["rerun_mode"] = "checkpoint";
  else
    n.metadata["rerun_mode"] = request.failed_only ? "failed_only" : "all";

  OPZ_TRY_STATUS(check_workspace(options_, n.workspace));
  OPZ_TRY(std::unique_ptr<ExecutionRun> run,
          build_new_run(std::move(n), options_.data_dir, clock_.now(), scheduler_->max_parallel()));
  run->row.parent_execution_id = execution_id;
  if (checkpoint) run->row.rerun_checkpoint_id = checkpoint->id;
  for (auto& [node_id, restored] : restores) {
    auto it = run->index.find(node_id);
    if (it == run->index.end()) continue;
    NodeRuntime& node = run->nodes[it->second];
    node.row.status = "success";
    node.row.outputs = outputs_to_json(restored.outputs);
    node.row.logs = "restored from execution " + execution_id;
    run->set_outputs(it->second, std::move(restored.outputs));
    node.phase = NodePhase::kDone;
    OPZ_TRY_STATUS(run->plan->restore(it->second, pipeline::NodeStatus::kSuccess));
    run->done_order.push_back(static_cast<uint32_t>(it->second));
  }
  if (checkpoint && checkpoint->state.contains("artifacts") &&
      checkpoint->state["artifacts"].is_object()) {
    run->artifacts = checkpoint->state["artifacts"];
  } else if (auto artifacts = journal_.artifacts(execution_id)) {
    for (const store::ArtifactRecord& a : *artifacts) {
      auto it = run->index.find(a.node_id);
      if (it == run->index.end() || run->nodes[it->second].phase != NodePhase::kDone) continue;
      run->artifacts[a.name] = {{"image_digest", a.image_digest},
                                {"image_tag", a.image_tag},
                                {"registry_url", a.registry_url},
                                {"type", a.type}};
    }
  }
  OPZ_TRY_STATUS(journal_.create(run->row, node_rows(*run)));
  store::ExecutionRecord record = run->row;
  record.pipeline.clear();
  run->row.pipeline.clear();
  if (request.held) return record;  // governance releases it (release())
  auto holder = std::make_shared<std::unique_ptr<ExecutionRun>>(std::move(run));
  Scheduler* s = scheduler_.get();
  if (!loop_.post([s, holder] { s->add(std::move(*holder)); }))
    return Error::unavailable("the engine stopped; the execution starts after a restart");
  return record;
}

}  // namespace opz::engine
