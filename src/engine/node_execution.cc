// Scheduler: node attempts (see scheduler.h): step processes, and what happens
// when any attempt ends — outputs, artifacts, checkpoints, retries.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "core/ids.h"
#include "core/quantity.h"
#include "core/time_format.h"
#include "engine/checkpoint_state.h"
#include "engine/node_outputs.h"
#include "engine/scheduler.h"

namespace opz::engine {

using pipeline::NodeResult;
using pipeline::NodeStatus;

std::string timeout_text(const pipeline::Node& node) {
  return "timed out after " + format_duration(node.timeout.value_or(Millis{0}));
}

namespace {

constexpr size_t kTailBytes = 4096;

std::string_view stream_name(runner::Stream s) {
  return s == runner::Stream::kStdout ? "stdout" : "stderr";
}

void append_tail(std::string& tail, const std::string& line) {
  tail += line;
  tail.push_back('\n');
  if (tail.size() > kTailBytes) {
    size_t cut = tail.find('\n', tail.size() - kTailBytes / 2);
    tail.erase(0, cut == std::string::npos ? tail.size() - kTailBytes / 2 : cut + 1);
  }
}

std::string step_label(const pipeline::Node& node, size_t step) {
  const std::string& name = node.steps[step].name;
  return "step " + std::to_string(step + 1) + "/" + std::to_string(node.steps.size()) + " '" +
         (name.empty() ? std::string("run") : name) + "'";
}

std::string describe_failure(const pipeline::Node& node, size_t step,
                             const runner::ProcessResult& r) {
  if (r.spawn_failed) return step_label(node, step) + " could not start: " + r.error;
  if (r.timed_out) return timeout_text(node);
  if (r.cancelled) return step_label(node, step) + " was stopped";
  if (r.signal != 0)
    return step_label(node, step) + " was killed by signal " + std::to_string(r.signal);
  return step_label(node, step) + " exited with code " + std::to_string(r.exit_code);
}

}  // namespace

// ---------------------------------------------------------------------------
// Starting attempts.

void Scheduler::begin_attempt(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  NodeStatus from = n.status();
  ++n.row.attempt;
  ++n.generation;
  n.row.status = "running";
  n.row.started_at = format_time(clock_.now());
  n.row.completed_at.clear();
  n.row.exit_code.reset();
  n.row.signal.reset();
  n.row.duration_ms.reset();
  n.row.next_attempt_at.clear();
  n.row.error.clear();
  n.attempt_started_steady = std::chrono::steady_clock::now();
  n.attempt_log_bytes = 0;
  n.step = 0;
  n.tail.clear();
  std::string reason = n.row.attempt > 1 ? "attempt " + std::to_string(n.row.attempt) + " of " +
                                               std::to_string(n.row.max_attempts)
                                         : "started";
  recorder_.node_changed(run, i, from, std::move(reason));
}

std::vector<UpstreamOutputs> Scheduler::upstream_of(ExecutionRun& run, size_t node) {
  // Every node it needs, directly or through other nodes: a deploy three
  // hops after build still sees build's image_tag. Nodes are stored in
  // topological order and an ancestor always precedes its descendants, so
  // walking ascending indices lets the nearer producer of a key win.
  if (run.nodes_with_outputs == 0) return {};
  std::vector<bool> upstream(run.pipeline.nodes.size(), false);
  std::vector<size_t> stack{node};
  while (!stack.empty()) {
    const size_t at = stack.back();
    stack.pop_back();
    for (const std::string& need : run.pipeline.nodes[at].needs) {
      const size_t k = run.index.at(need);
      if (!upstream[k]) {
        upstream[k] = true;
        stack.push_back(k);
      }
    }
  }
  std::vector<UpstreamOutputs> out;
  for (size_t k = 0; k < node; ++k)
    if (upstream[k] && !run.nodes[k].outputs.empty())
      out.push_back({&run.pipeline.nodes[k].id, &run.nodes[k].outputs});
  return out;
}

Result<std::vector<std::string>> Scheduler::step_env(ExecutionRun& run, size_t i) {
  if (!run.env) {
    EnvLookup lookup = options_.env_lookup;
    if (!lookup) {
      lookup = [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
      };
    }
    run.env = std::make_unique<StepEnvironment>(base_environment(lookup), run.pipeline.env);
  }
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  StepFacts facts{run.row.id,
                  n.row.node_id,
                  n.row.attempt,
                  run.row.branch,
                  run.tag,
                  run.row.commit_hash,
                  node.environment.empty() ? run.row.environment : node.environment,
                  n.output_path,
                  run.workspace};
  StepVariables variables;
  if (options_.step_variables) {
    StepVariableRequest request{run.row.project_id, facts.environment,
                                environment_secrets_allowed(run.row, run.tag, facts.environment)};
    OPZ_TRY(variables, options_.step_variables(request));
  }
  std::vector<std::string> values;
  for (const auto& [name, value] : variables.secrets) values.push_back(value);
  auto patterns = std::make_shared<const secrets::MaskPatterns>(values);
  n.mask = patterns->empty() ? nullptr : std::move(patterns);
  n.config = variables.config;
  return run.env->build(node, facts, upstream_of(run, i), &variables);
}

void Scheduler::start_steps(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  n.phase = NodePhase::kSteps;
  n.output_path =
      run.outputs_dir + "/" + std::to_string(i) + "-" + std::to_string(n.row.attempt) + ".out";
  auto env = step_env(run, i);
  if (!env) {
    const std::string error = "cannot start: " + env.error().message;
    system_log(run, run.pipeline.nodes[i].id, n.row.attempt, "error", error);
    attempt_failed(run, i, error, std::nullopt, std::nullopt);
    return;
  }
  n.env = std::move(env).value();
  start_step(run, i);
}

void Scheduler::start_step(ExecutionRun& run, size_t i) {
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  const int attempt = n.row.attempt;
  std::chrono::milliseconds timeout{0};
  if (node.timeout) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - n.attempt_started_steady);
    timeout = *node.timeout - elapsed;
    if (timeout.count() <= 0) {
      system_log(run, node.id, attempt, "error", timeout_text(node));
      attempt_failed(run, i, timeout_text(node), std::nullopt, std::nullopt);
      return;
    }
  }
  system_log(run, node.id, attempt, "info", step_label(node, n.step) + " started");
  if (n.mask) {  // each step's streams start afresh
    n.stdout_mask = std::make_unique<secrets::StreamMasker>(n.mask);
    n.stderr_mask = std::make_unique<secrets::StreamMasker>(n.mask);
  } else {
    n.stdout_mask.reset();
    n.stderr_mask.reset();
  }
  uint64_t cap = options_.node_log_cap_bytes > n.attempt_log_bytes
                     ? options_.node_log_cap_bytes - n.attempt_log_bytes
                     : 1;
  runner::ProcessSpec spec{.command = node.steps[n.step].run,
                           .cwd = run.workspace,
                           .env = n.env,
                           .timeout = timeout,
                           .kill_grace = options_.kill_grace,
                           .log_cap_bytes = cap,
                           .runs_on = node.runs_on,
                           .checkout_url = run.source.kind == WorkspaceSource::Kind::kGit
                                               ? run.source.git_url
                                               : std::string(),
                           .checkout_commit = run.row.commit_hash};
  const std::string id = run.row.id;
  const uint64_t gen = n.generation;
  runner::ProcessId pid = runner_.start(std::move(spec), step_callbacks(id, i, gen, attempt));
  if (pid == runner::kNoProcess) {
    node_ended(run, i, NodeResult::kFailed, "the runner is shutting down", "runner unavailable");
    return;
  }
  n.process = pid;
  ++running_processes_;
  ++run.live_processes;
}

runner::ProcessCallbacks Scheduler::step_callbacks(const std::string& id, size_t i, uint64_t gen,
                                                   int attempt) {
  runner::ProcessCallbacks cb;
  cb.on_output = [q = queue_, this, id, i, attempt](std::vector<runner::LogLine>&& lines) {
    q->post([this, id, i, attempt, lines = std::move(lines)]() mutable {
      on_step_output(id, i, attempt, std::move(lines));
    });
  };
  cb.on_exit = [q = queue_, this, id, i, gen, attempt](const runner::ProcessResult& result) {
    q->post([this, id, i, gen, attempt, result] { on_step_exit(id, i, gen, attempt, result); });
  };
  return cb;
}

void Scheduler::on_step_output(const std::string& id, size_t i, int attempt,
                               std::vector<runner::LogLine>&& lines) {
  ExecutionRun* run = find(id);
  if (!run) return;
  NodeRuntime& n = run->nodes[i];
  const bool current = attempt == n.row.attempt;
  for (runner::LogLine& line : lines) {
    // The one point where a step's output enters the log, its tail and the
    // event stream: secrets are masked here, before any of them sees it.
    // The runner joins writes up to each newline, so only the pieces of an
    // over-long line need joining, which the stream masker does (it holds
    // back a possible start of a value until the next piece).
    if (n.mask && n.stdout_mask && current) {
      auto& masker = line.stream == runner::Stream::kStdout ? n.stdout_mask : n.stderr_mask;
      std::string text = masker->feed(line.continues ? line.text : line.text + "\n");
      if (!line.continues) text.pop_back();  // the newline added above
      if (line.continues && text.empty()) continue;
      line.text = std::move(text);
    } else if (n.mask) {
      line.text = n.mask->mask(line.text);  // a line of an earlier attempt
    }
    if (current) append_tail(n.tail, line.text);
    recorder_.log(id, n.row.node_id, attempt, stream_name(line.stream), "info",
                  std::move(line.text), line.at);
  }
}

void Scheduler::on_step_exit(const std::string& id, size_t i, uint64_t gen, int attempt,
                             const runner::ProcessResult& result) {
  --running_processes_;
  ExecutionRun* run = find(id);
  if (!run) return;
  --run->live_processes;
  NodeRuntime& n = run->nodes[i];
  const pipeline::Node& node = run->pipeline.nodes[i];
  n.row.log_bytes += static_cast<int64_t>(result.log_bytes);
  n.attempt_log_bytes += result.log_bytes;
  if (result.log_truncated) {
    n.row.log_truncated = true;
    system_log(*run, node.id, attempt, "warn",
               "log truncated: " + std::to_string(result.dropped_bytes) + " bytes dropped");
  }
  if (gen != n.generation || n.phase != NodePhase::kSteps) return;  // stopped attempt
  n.process = runner::kNoProcess;
  if (result.success()) {
    if (++n.step < node.steps.size()) {
      start_step(*run, i);
      return;
    }
    auto outputs = read_output_file(n.output_path);
    if (!outputs) {
      system_log(*run, node.id, attempt, "error", outputs.error().message);
      attempt_failed(*run, i, outputs.error().message, 0, std::nullopt);
      return;
    }
    node_succeeded(*run, i, std::move(outputs).value(), "exit code 0");
    return;
  }
  std::string error = describe_failure(node, n.step, result);
  system_log(*run, node.id, attempt, "error", error);
  std::optional<int64_t> exit_code;
  if (result.exit_code >= 0) exit_code = result.exit_code;
  std::optional<int64_t> signal;
  if (result.signal != 0) signal = result.signal;
  attempt_failed(*run, i, std::move(error), exit_code, signal);
}

void Scheduler::retry_due(const std::string& id, size_t i, uint64_t gen) {
  ExecutionRun* run = find(id);
  if (!run || run->finished()) return;
  NodeRuntime& n = run->nodes[i];
  if (n.phase != NodePhase::kRetryWait || n.generation != gen) return;
  n.phase = NodePhase::kIdle;
  n.row.next_attempt_at.clear();
  handle_ready(*run, i);
}

// ---------------------------------------------------------------------------
// Ending attempts.

void Scheduler::node_succeeded(ExecutionRun& run, size_t i, runner::OutputValues outputs,
                               std::string reason) {
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  auto artifacts = artifacts_from_outputs(outputs, node.id);
  if (!artifacts) {
    system_log(run, node.id, n.row.attempt, "error", artifacts.error().message);
    attempt_failed(run, i, artifacts.error().message, n.row.exit_code, std::nullopt);
    return;
  }
  const TimePoint now = clock_.now();
  const std::string at = format_time(now);
  for (ArtifactSpec& a : *artifacts) {
    store::ArtifactRecord rec;
    rec.id = new_uuid();
    rec.name = a.name;
    rec.execution_id = run.row.id;
    rec.node_id = node.id;
    rec.image_digest = a.image_digest;
    rec.image_tag = a.image_tag;
    rec.registry_url = a.registry_url;
    rec.type = a.type;
    rec.size_bytes = a.size_bytes;
    rec.metadata = a.metadata;
    rec.created_at = at;
    Json fields = {{"image_digest", a.image_digest},
                   {"image_tag", a.image_tag},
                   {"registry_url", a.registry_url},
                   {"type", a.type}};
    if (a.size_bytes) fields["size_bytes"] = *a.size_bytes;
    run.artifacts[a.name] = std::move(fields);
    recorder_.artifact(std::move(rec));
  }
  NodeStatus from = n.status();
  if (n.phase == NodePhase::kSteps) n.row.exit_code = 0;
  run.set_outputs(i, std::move(outputs));
  n.row.outputs = outputs_to_json(n.outputs);
  n.row.status = "success";
  n.row.error.clear();
  n.row.completed_at = at;
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - n.attempt_started_steady);
  n.row.duration_ms = elapsed.count();
  n.row.logs = n.tail;
  n.phase = NodePhase::kDone;
  ++n.generation;
  n.env.clear();
  n.env.shrink_to_fit();
  auto events = run.plan->complete(i, NodeResult::kSuccess);
  run.done_order.push_back(static_cast<uint32_t>(i));
  recorder_.node_changed(run, i, from, std::move(reason));
  if (node.checkpoint) record_checkpoint(run, i);
  metrics_.node_finished("success", elapsed);
  if (events)
    apply_plan_events(run, *events);
  else
    spdlog::error("engine: plan refused success of {}: {}", node.id, events.error().message);
  mark_dirty(run);
  run.progress_dirty = true;
  settle_later(run);
}

void Scheduler::attempt_failed(ExecutionRun& run, size_t i, std::string error,
                               std::optional<int64_t> exit_code, std::optional<int64_t> signal) {
  NodeRuntime& n = run.nodes[i];
  const pipeline::Node& node = run.pipeline.nodes[i];
  n.row.exit_code = exit_code;
  n.row.signal = signal;
  if (n.row.attempt < n.row.max_attempts && !run.finished()) {
    auto delay = node.retry.delay_before(n.row.attempt + 1);
    NodeStatus from = n.status();
    n.row.status = "pending";
    n.row.error = error;
    n.row.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - n.attempt_started_steady)
                            .count();
    n.row.next_attempt_at = format_time(clock_.now() + delay);
    n.row.logs = n.tail;
    n.phase = NodePhase::kRetryWait;
    const uint64_t gen = ++n.generation;
    n.env.clear();
    recorder_.node_changed(run, i, from,
                           "attempt " + std::to_string(n.row.attempt) + " failed (" + error +
                               "); retrying in " + format_duration(delay));
    post_after(delay, [this, id = run.row.id, i, gen] { retry_due(id, i, gen); });
    return;
  }
  node_ended(run, i, NodeResult::kFailed, error, error);
}

void Scheduler::node_ended(ExecutionRun& run, size_t i, NodeResult result, std::string error,
                           std::string reason) {
  NodeRuntime& n = run.nodes[i];
  NodeStatus from = n.status();
  n.row.status = result == NodeResult::kFailed ? "failed" : "cancelled";
  if (!error.empty()) n.row.error = std::move(error);
  n.row.completed_at = format_time(clock_.now());
  n.row.next_attempt_at.clear();
  std::chrono::milliseconds elapsed{0};
  if (!n.row.started_at.empty()) {
    elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - n.attempt_started_steady);
    n.row.duration_ms = elapsed.count();
  }
  n.row.logs = n.tail;
  n.phase = NodePhase::kDone;
  ++n.generation;
  n.env.clear();
  auto events = run.plan->complete(i, result);
  run.done_order.push_back(static_cast<uint32_t>(i));
  recorder_.node_changed(run, i, from, std::move(reason));
  metrics_.node_finished(n.row.status, elapsed);
  if (events)
    apply_plan_events(run, *events);
  else
    spdlog::error("engine: plan refused the end of {}: {}", n.row.node_id, events.error().message);
  mark_dirty(run);
  run.progress_dirty = true;
  settle_later(run);
}

void Scheduler::record_checkpoint(ExecutionRun& run, size_t i) {
  const pipeline::Node& node = run.pipeline.nodes[i];
  CheckpointInputs in;
  in.artifacts = run.artifacts;
  in.environment = run.pipeline.env;
  for (const auto& [k, v] : node.env) in.environment[k] = v;
  for (const auto& [k, v] : run.nodes[i].config) in.environment[k] = v;  // never secrets
  // Nodes in done_order are final: each is rendered once, when first listed.
  for (size_t k = run.rendered_done.size(); k < run.done_order.size(); ++k) {
    const NodeRuntime& done = run.nodes[run.done_order[k]];
    run.rendered_done.add(done.row.node_id, done.row.status, done.outputs);
  }
  in.finished = &run.rendered_done;
  in.commit_sha = run.row.commit_hash;
  in.branch = run.row.branch;
  in.timestamp = format_time(clock_.now());
  store::CheckpointRecord c;
  c.id = new_uuid();
  c.execution_id = run.row.id;
  c.node_id = node.id;
  c.name = "post-" + node.id + "-checkpoint";
  c.state_text = checkpoint_state_text(in);
  c.created_at = in.timestamp;
  recorder_.checkpoint(std::move(c));
}

}  // namespace opz::engine
