// Scheduler: starting an execution (workspace preparation, the pipeline read
// from the repository) and resuming the executions a previous server left
// unfinished (see scheduler.h and docs/engine.md "Recovery").
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "core/quantity.h"
#include "core/redact_url.h"
#include "core/time_format.h"
#include "engine/ci_only.h"
#include "engine/leftover_processes.h"
#include "engine/run_builder.h"
#include "engine/scheduler.h"
#include "pipeline/pipeline_yaml.h"

namespace opz::engine {

using pipeline::NodeStatus;

namespace {

constexpr std::chrono::minutes kCheckoutTimeout{10};
constexpr const char* kServerStopped = "server stopped while the node was running";

// Only an agent's job outlives its server: a node with steps and runs_on.
bool may_run_on_agent(const pipeline::Node& node) {
  return !node.steps.empty() && !node.runs_on.empty();
}

bool looks_like_sha(const std::string& s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

void Scheduler::begin(ExecutionRun& run) {
  std::error_code ec;
  std::filesystem::create_directories(run.outputs_dir, ec);
  if (run.status == ExecutionStatus::kIdle) {
    run.row.started_at = format_time(clock_.now());
    set_status(run, ExecutionStatus::kRunning, "started");
    metrics_.execution_started();
  } else {
    metrics_.execution_resumed();
  }
  switch (run.source.kind) {
    case WorkspaceSource::Kind::kGit:
      if (run.plan && std::filesystem::is_directory(run.workspace + "/.git", ec)) {
        workspace_ready(run);  // resumed with its checkout intact
      } else {
        checkout(run);
      }
      return;
    case WorkspaceSource::Kind::kNone:
      std::filesystem::create_directories(run.workspace, ec);
      if (ec) {
        fail_before_start(run,
                          "cannot create the workspace " + run.workspace + ": " + ec.message());
        return;
      }
      workspace_ready(run);
      return;
    case WorkspaceSource::Kind::kDirectory:
      workspace_ready(run);
      return;
  }
}

void Scheduler::checkout(ExecutionRun& run) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(run.workspace).parent_path(), ec);
  std::string what = !run.row.commit_hash.empty() ? "commit " + run.row.commit_hash
                     : !run.row.branch.empty()    ? "branch " + run.row.branch
                                                  : "the default branch";
  system_log(run, "", 0, "info", "checking out " + redact_url(run.source.git_url) + " at " + what);
  std::vector<std::string> env = {"GIT_TERMINAL_PROMPT=0"};
  for (const char* name : {"PATH", "HOME", "LANG", "TMPDIR"}) {
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  }
  const std::string id = run.row.id;
  runner::ProcessCallbacks cb;
  cb.on_output = [q = queue_, this, id](std::vector<runner::LogLine>&& lines) {
    q->post([this, id, lines = std::move(lines)]() mutable {
      ExecutionRun* r = find(id);
      if (!r) return;
      for (runner::LogLine& l : lines) {
        if (l.stream == runner::Stream::kStdout) r->checkout_last_line = l.text;
        recorder_.log(id, "", 0, l.stream == runner::Stream::kStdout ? "stdout" : "stderr", "info",
                      std::move(l.text), l.at);
      }
    });
  };
  cb.on_exit = [q = queue_, this, id](const runner::ProcessResult& result) {
    q->post([this, id, result] { on_checkout_exit(id, result); });
  };
  // Checked again and pinned to the checked address (DNS rebinding).
  auto remote = pin_workspace_remote(options_.outbound, run.source.git_url);
  if (!remote) {
    fail_before_start(run, "checkout refused: " + remote.error().message);
    return;
  }
  runner::ProcessId pid =
      runner_.start({.command = remove_command(run.workspace) + " && " +
                                checkout_command(*remote, run.row.commit_hash,
                                                 run.row.branch, run.workspace,
                                                 mirror_dir(options_.data_dir,
                                                            run.source.git_url)),
                     .cwd = options_.data_dir,
                     .env = std::move(env),
                     .timeout = kCheckoutTimeout,
                     .kill_grace = options_.kill_grace,
                     .log_cap_bytes = 1 << 20},
                    std::move(cb));
  if (pid == runner::kNoProcess) {
    fail_before_start(run, "checkout failed: the runner is shutting down");
    return;
  }
  run.checkout = pid;
  ++run.live_processes;
}

void Scheduler::on_checkout_exit(const std::string& id, const runner::ProcessResult& result) {
  ExecutionRun* run = find(id);
  if (!run) return;
  --run->live_processes;
  run->checkout = runner::kNoProcess;
  if (run->finished()) return;
  if (!result.success()) {
    std::string why = result.timed_out ? "timed out after 10m"
                      : result.spawn_failed
                          ? result.error
                          : "git exited with code " + std::to_string(result.exit_code);
    fail_before_start(*run, "checkout failed: " + why);
    return;
  }
  if (run->row.commit_hash.empty() && looks_like_sha(run->checkout_last_line)) {
    run->row.commit_hash = run->checkout_last_line;
    recorder_.execution_changed(*run, run->status, "");
  }
  workspace_ready(*run);
}

void Scheduler::fail_before_start(ExecutionRun& run, const std::string& message) {
  system_log(run, "", 0, "error", message);
  run.row.metadata["error"] = message;
  if (run.plan) {
    abort_run(run, ExecutionStatus::kFailed, message, message);
  } else {
    finish(run, ExecutionStatus::kFailed, message);
  }
}

void Scheduler::workspace_ready(ExecutionRun& run) {
  if (!run.plan) {
    const std::string path = run.workspace + "/" + run.pipeline_path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      fail_before_start(run, run.pipeline_path + " not found in the repository");
      return;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = pipeline::parse_pipeline_yaml(text);
    if (!parsed) {
      const Error& e = parsed.error();
      fail_before_start(
          run, run.pipeline_path + (e.field.empty() ? "" : ":" + e.field) + ": " + e.message);
      return;
    }
    if (is_ci_only(run.row.metadata)) {  // engine/ci_only.h
      auto filtered = ci_only_pipeline(*parsed);
      if (!filtered) {
        fail_before_start(run, run.pipeline_path + ": " + filtered.error().message);
        return;
      }
      parsed = std::move(filtered).value();
    }
    if (is_ci_only(run.row.metadata)) {
      auto ci = ci_only_pipeline(*parsed);
      if (!ci) {
        fail_before_start(run, run.pipeline_path + ": " + ci.error().message);
        return;
      }
      parsed = std::move(ci);
    }
    auto canonical = canonicalize(*parsed);
    if (!canonical) {
      fail_before_start(run, run.pipeline_path + ": " + canonical.error().message);
      return;
    }
    attach_pipeline(run, std::move(canonical->pipeline), clock_.now(), max_parallel_);
    run.row.pipeline = std::move(canonical->json_text);
    recorder_.nodes_created(run);
    recorder_.execution_changed(run, run.status, "", /*write_pipeline=*/true);
    run.row.pipeline.clear();
    run.row.pipeline.shrink_to_fit();
    system_log(run, "", 0, "info",
               "pipeline read from " + run.pipeline_path + ": " +
                   std::to_string(run.pipeline.nodes.size()) + " node(s)");
  }
  if (run.pipeline.timeout) {
    auto started = parse_time(run.row.started_at).value_or(clock_.now());
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*run.pipeline.timeout -
                                                                      (clock_.now() - started));
    post_after(std::max(left, std::chrono::milliseconds(0)), [this, id = run.row.id] {
      ExecutionRun* r = find(id);
      if (!r || r->finished()) return;
      std::string why = "pipeline timed out after " + format_duration(*r->pipeline.timeout);
      system_log(*r, "", 0, "error", why);
      abort_run(*r, ExecutionStatus::kFailed, why, why);
    });
  }
  pipeline::PlanEvents events = run.plan->start();
  apply_plan_events(run, events);
  mark_dirty(run);
  settle_later(run);
}

// ---------------------------------------------------------------------------
// Recovery.

bool held_by_governance(const store::ExecutionRecord& row) {
  return row.governance_status == "waiting" || row.governance_status == "pending_approval";
}

Result<RecoveryReport> Scheduler::recover() {
  if (ownership_.shared()) {
    // Our lease first: what we claim below must not look orphaned to others.
    if (auto renewed = ownership_.renew(); !renewed) return renewed.error();
  }
  OPZ_TRY(std::vector<store::ExecutionRecord> rows, journal_.unfinished());
  RecoveryReport report;
  for (store::ExecutionRecord& row : rows) {
    if (find(row.id)) continue;
    // Held by governance: the admission path releases it, not recovery.
    if (held_by_governance(row)) continue;
    if (!claim(row.id)) continue;  // another live server runs it
    if (resume_from_journal(std::move(row), report)) ++report.executions;
  }
  after_round();
  return report;
}

bool Scheduler::resume_from_journal(store::ExecutionRecord row, RecoveryReport& report) {
  auto detail = journal_.load(row.id);
  if (!detail) {
    spdlog::error("engine: cannot load execution {}: {}", row.id, detail.error().to_string());
    return false;
  }
  const std::string id = row.id;
  report.processes_killed += kill_execution_processes(id);
  auto run = build_run_from_journal(std::move(detail->execution), std::move(detail->nodes),
                                    options_.data_dir, max_parallel_);
  if (!run) {
    // Unreadable: it must not stay 'running' forever.
    spdlog::error("engine: cannot resume execution {}: {}", id, run.error().to_string());
    ExecutionRun bare;
    bare.row = std::move(row);
    bare.row.pipeline.clear();
    bare.status =
        execution_status_from_string(bare.row.status).value_or(ExecutionStatus::kRunning);
    bare.row.completed_at = format_time(clock_.now());
    ExecutionStatus from = bare.status;
    bare.status = ExecutionStatus::kFailed;
    bare.row.status = "failed";
    recorder_.execution_changed(bare, from, "cannot resume: " + run.error().message);
    return false;
  }
  resume_run(std::move(run).value(), report);
  return true;
}

Status Scheduler::release(const std::string& execution_id, const std::string& reason) {
  if (find(execution_id)) return Error::conflict("execution " + execution_id + " is not held");
  OPZ_TRY(store::ExecutionDetail detail, journal_.load(execution_id));
  if (detail.execution.status != "paused" || held_by_governance(detail.execution))
    return Error::conflict("execution " + execution_id + " is " + detail.execution.status +
                           " (governance " + detail.execution.governance_status +
                           "); only a held execution admitted by governance can be released");
  for (const store::ExecutionNodeRecord& n : detail.nodes) {
    if (n.status != "pending")
      return Error::conflict("execution " + execution_id + " has started nodes; it is not held");
  }
  OPZ_TRY(std::unique_ptr<ExecutionRun> run,
          build_run_from_journal(std::move(detail.execution), std::move(detail.nodes),
                                 options_.data_dir, max_parallel_));
  if (!claim(execution_id))
    return Error::conflict("execution " + execution_id + " is run by another server");
  // Never started: paused -> running now (the journal holds 'paused'), then
  // it begins as a new execution would.
  ExecutionRun& r = *run;
  runs_[r.row.id] = std::move(run);
  system_log(r, "", 0, "info", "admitted by governance: " + reason);
  r.row.started_at = format_time(clock_.now());
  set_status(r, ExecutionStatus::kRunning, "admitted by governance: " + reason);
  metrics_.execution_started();
  begin(r);
  after_round();
  return ok_status();
}

void Scheduler::resume_run(std::unique_ptr<ExecutionRun> owned, RecoveryReport& report) {
  ExecutionRun& run = *owned;
  runs_[run.row.id] = std::move(owned);
  system_log(run, "", 0, "warn", "resumed after a server restart");
  if (auto artifacts = journal_.artifacts(run.row.id)) {
    for (const store::ArtifactRecord& a : *artifacts) {
      run.artifacts[a.name] = {{"image_digest", a.image_digest},
                               {"image_tag", a.image_tag},
                               {"registry_url", a.registry_url},
                               {"type", a.type}};
    }
  }
  if (run.plan) {
    std::map<std::string, std::string> pending_gates;  // node id -> wait_until
    if (auto approvals = journal_.approval_requests(run.row.id)) {
      for (const store::ApprovalRequestRecord& a : *approvals)
        if (a.status == "pending") pending_gates[a.node_id] = a.wait_until;
    }
    for (size_t i = 0; i < run.nodes.size(); ++i) {
      NodeRuntime& n = run.nodes[i];
      NodeStatus s = pipeline::node_status_from_string(n.row.status).value_or(NodeStatus::kPending);
      if (pipeline::is_final(s)) {
        (void)run.plan->restore(i, s);
        n.phase = NodePhase::kDone;
        run.done_order.push_back(static_cast<uint32_t>(i));
        continue;
      }
      if (may_run_on_agent(run.pipeline.nodes[i]) &&
          (s == NodeStatus::kRunning || s == NodeStatus::kPending || s == NodeStatus::kQueued)) {
        const bool was_running = s == NodeStatus::kRunning;
        interrupted_[run.row.id][i] =
            Interrupted{n.row.attempt + (was_running ? 0 : 1), was_running};
        ++report.nodes_on_agents;
        continue;
      }
      if (s == NodeStatus::kRunning) {
        if (interrupted_without_retry(run, i)) {
          ++report.nodes_failed;
          metrics_.node_recovered("failed");
        } else {
          ++report.nodes_retried;
          metrics_.node_recovered("retried");
        }
        continue;
      }
      if (s == NodeStatus::kWaiting) {
        auto gate = pending_gates.find(n.row.node_id);
        if (gate != pending_gates.end()) {
          n.resume_waiting = true;
          n.resume_wait_until = gate->second;
        }
      }
    }
  }
  begin(run);
}

// ---------------------------------------------------------------------------
// Adoption of agents' jobs (see scheduler.h: Interrupted).

void Scheduler::retry_interrupted(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  n.row.status = "pending";
  n.row.error = kServerStopped;
  recorder_.node_changed(run, i, NodeStatus::kRunning,
                         std::string(kServerStopped) + "; retrying as attempt " +
                             std::to_string(n.row.attempt + 1));
}

bool Scheduler::interrupted_without_retry(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  const NodeStatus from = NodeStatus::kRunning;
  if (n.row.attempt < n.row.max_attempts) {
    retry_interrupted(run, i);
    return false;
  }
  n.row.status = "failed";
  n.row.error = std::string(kServerStopped) + "; no retries left";
  n.row.completed_at = format_time(clock_.now());
  recorder_.node_changed(run, i, from, n.row.error);
  (void)run.plan->restore(i, NodeStatus::kFailed);
  n.phase = NodePhase::kDone;
  run.done_order.push_back(static_cast<uint32_t>(i));
  metrics_.node_finished("failed", std::chrono::milliseconds(0));
  return true;
}

bool Scheduler::adopt_or_renumber(ExecutionRun& run, size_t i, Interrupted interrupted) {
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  const int known = n.row.attempt;
  n.row.attempt = interrupted.attempt;  // the facts step_env() hands the steps
  const std::string output_path = run.outputs_dir + "/" + std::to_string(i) + "-" +
                                  std::to_string(interrupted.attempt) + ".out";
  auto env = step_env(run, i);
  runner::Adoption adopted;
  if (env) {
    const uint64_t gen = ++n.generation;
    const std::string id = run.row.id;
    const int attempt = interrupted.attempt;
    adopted = runner_.adopt({id, node.id, attempt, output_path}, step_callbacks(id, i, gen, attempt));
  } else {
    spdlog::warn("engine: {} {}: cannot rebuild the step environment to adopt its job: {}",
                 run.row.id, node.id, env.error().message);
  }
  if (adopted.process != runner::kNoProcess) {
    metrics_.node_recovered("adopted");
    follow_adopted(run, i, adopted, std::move(env).value(), output_path,
                   interrupted.was_running);
    return true;
  }
  // Not adopted: the next attempt comes after every attempt a job ran under.
  n.row.attempt = std::max(known, adopted.highest_attempt);
  if (interrupted.was_running && n.row.attempt < n.row.max_attempts) {
    metrics_.node_recovered("retried");
    retry_interrupted(run, i);
    return false;
  }
  if (interrupted.was_running) {
    metrics_.node_recovered("failed");
    const std::string why = std::string(kServerStopped) + "; no retries left";
    node_ended(run, i, pipeline::NodeResult::kFailed, why, why);
    return true;
  }
  if (n.row.attempt >= n.row.max_attempts) {
    metrics_.node_recovered("failed");
    const std::string why = "attempt " + std::to_string(n.row.attempt) +
                            " was lost with its agent job; no retries left";
    system_log(run, node.id, n.row.attempt, "error", why);
    node_ended(run, i, pipeline::NodeResult::kFailed, why, why);
    return true;
  }
  metrics_.node_recovered("retried");
  return false;
}

void Scheduler::follow_adopted(ExecutionRun& run, size_t i, const runner::Adoption& adopted,
                               std::vector<std::string> env, std::string output_path,
                               bool was_running) {
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  n.phase = NodePhase::kSteps;
  n.process = adopted.process;
  n.env = std::move(env);
  n.output_path = std::move(output_path);
  n.step = 0;
  for (size_t k = 0; k < node.steps.size(); ++k) {
    if (node.steps[k].run == adopted.command) {
      n.step = k;
      break;
    }
  }
  n.attempt_started_steady = std::chrono::steady_clock::now();
  n.attempt_log_bytes = 0;
  n.tail.clear();
  if (n.mask) {
    n.stdout_mask = std::make_unique<secrets::StreamMasker>(n.mask);
    n.stderr_mask = std::make_unique<secrets::StreamMasker>(n.mask);
  }
  ++running_processes_;
  ++run.live_processes;
  const std::string what = "re-attached to its agent's job: attempt " +
                           std::to_string(n.row.attempt) + " continues";
  if (was_running) {
    system_log(run, node.id, n.row.attempt, "warn", what);
    return;
  }
  // Its job was queued just before the previous server stopped, before the
  // node's row said so.
  const NodeStatus from =
      pipeline::node_status_from_string(n.row.status).value_or(NodeStatus::kPending);
  n.row.status = "running";
  n.row.started_at = format_time(clock_.now());
  n.row.completed_at.clear();
  n.row.next_attempt_at.clear();
  n.row.error.clear();
  recorder_.node_changed(run, i, from, what);
}

}  // namespace opz::engine
