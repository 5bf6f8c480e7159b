#include "agent/remote_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>

#include "core/clock.h"
#include "core/ids.h"

namespace opz::agent {

namespace {

std::string join(const std::vector<std::string>& labels) {
  std::string out;
  for (const std::string& l : labels) out += (out.empty() ? "" : ", ") + l;
  return out;
}

}  // namespace

runner::LogLine server_log_line(std::string text) {
  return {SystemClock::instance().now(), runner::Stream::kStderr, "[opzenix] " + std::move(text),
          false};
}

RemoteRunner::RemoteRunner(store::AgentStore& store, const Clock& /*clock*/, Post post,
                           std::function<void()> enqueued)
    : store_(store),
      runner_id_(new_uuid()),
      post_(std::move(post)),
      enqueued_(std::move(enqueued)) {}

runner::ProcessId RemoteRunner::start(runner::ProcessSpec spec, runner::ProcessCallbacks cb) {
  if (stopping_) return runner::kNoProcess;
  JobSpec job_spec = JobSpec::from_process(spec);
  auto job = std::make_shared<Job>();
  job->output_path = job_spec.env_value("OPZENIX_OUTPUT");
  job->cb = std::move(cb);
  runner::ProcessId pid;
  {
    std::lock_guard lock(mu_);
    pid = next_id_++;
  }
  store::NewAgentJob row{job_spec.env_value("OPZENIX_EXECUTION_ID"),
                         job_spec.env_value("OPZENIX_NODE_ID"),
                         std::atoll(job_spec.env_value("OPZENIX_ATTEMPT").c_str()),
                         job_spec.to_json(), spec.runs_on, runner_id_};
  auto queued = store_.enqueue(row);
  if (!queued) {
    runner::ProcessResult failed;
    failed.spawn_failed = true;
    failed.error = "cannot queue the job for an agent: " + queued.error().message;
    post_([this, job, failed] { finish(*job, failed); });
    return pid;
  }
  track(*queued, job, pid);
  const std::string waiting = "queued for an agent with labels: " + join(spec.runs_on);
  post_([this, id = *queued, waiting] { note(id, waiting); });
  if (enqueued_) enqueued_();
  return pid;
}

runner::Adoption RemoteRunner::adopt(const runner::AdoptRequest& request,
                                     runner::ProcessCallbacks cb) {
  if (stopping_) return {};
  auto adoption = store_.adopt(request.execution_id, request.node_id, request.attempt, runner_id_);
  if (!adoption) {
    spdlog::warn("agents: cannot adopt the job of {} {} attempt {}: {}", request.execution_id,
                 request.node_id, request.attempt, adoption.error().to_string());
    return {};
  }
  runner::Adoption out;
  out.highest_attempt = static_cast<int>(adoption->highest_attempt);
  if (!adoption->job) return out;
  // The node's earlier steps wrote their outputs to the old server's file:
  // write them again, oldest first, before this step's own are appended.
  if (!request.output_path.empty()) {
    std::ofstream rebuilt(request.output_path, std::ios::trunc | std::ios::binary);
    for (const Json& stored : adoption->earlier_results) {
      auto earlier = JobResult::from_json(stored);
      if (earlier && !earlier->outputs.empty()) rebuilt << output_file_text(earlier->outputs);
    }
    if (!rebuilt)
      spdlog::warn("agents: cannot rebuild the outputs of {} {} attempt {} in {}",
                   request.execution_id, request.node_id, request.attempt, request.output_path);
  }
  auto job = std::make_shared<Job>();
  job->output_path = request.output_path;
  job->cb = std::move(cb);
  {
    std::lock_guard lock(mu_);
    out.process = next_id_++;
  }
  const store::AgentJobRecord& adopted = *adoption->job;
  out.command = adopted.spec.is_object() ? adopted.spec.value("command", std::string()) : "";
  follow(adopted, job, out.process);
  return out;
}

void RemoteRunner::track(const std::string& job_id, const std::shared_ptr<Job>& job,
                         runner::ProcessId pid) {
  job->job_id = job_id;
  std::lock_guard lock(mu_);
  jobs_[job_id] = job;
  job_of_[pid] = job_id;
}

void RemoteRunner::follow(const store::AgentJobRecord& adopted, const std::shared_ptr<Job>& job,
                          runner::ProcessId pid) {
  track(adopted.id, job, pid);
  const std::string text = "re-attached to job " + adopted.id + " (attempt " +
                           std::to_string(adopted.attempt) + ", " + adopted.status +
                           ", lease generation " + std::to_string(adopted.generation) +
                           ") queued before a server restart or by another server";
  store::EndedJob ended{adopted.id, adopted.status, adopted.result, ""};
  const bool over = adopted.status != "queued" && adopted.status != "leased";
  post_([this, text, ended, over] {
    note(ended.id, text);
    if (over) deliver_ended(ended);
  });
}

void RemoteRunner::sync() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mu_);
    ids.reserve(jobs_.size());
    for (const auto& [id, job] : jobs_) ids.push_back(id);
  }
  if (ids.empty()) return;
  // Ended first: finish() takes an ended job's spool after this read, so it
  // sees every batch (each committed before the job's end, agent_store.h).
  auto ended = store_.ended_jobs(ids);
  auto spooled = store_.spooled_log_jobs(runner_id_);
  if (spooled) {
    for (const std::string& id : *spooled) {
      auto job = find(id);
      if (!job) continue;
      std::lock_guard lock(job->mu);
      if (!job->ended) drain_spool_locked(*job, true);
    }
  }
  if (!ended) return;  // the next pass tries again
  for (const store::EndedJob& e : *ended) deliver_ended(e);
}

void RemoteRunner::deliver_ended(const store::EndedJob& ended) {
  if (ended.status == "lost") return deliver_lost({ended.id, ended.agent_name});
  auto parsed = ended.result.is_object() ? JobResult::from_json(ended.result)
                                         : Result<JobResult>(JobResult{});
  JobResult r = parsed ? std::move(parsed).value() : JobResult{};
  if (!parsed) r.error = "the agent's stored result does not parse: " + parsed.error().message;
  if (ended.status == "cancelled") r.cancelled = true;
  deliver_exit(ended.id, r);
}

void RemoteRunner::cancel(runner::ProcessId id) {
  std::string job_id;
  {
    std::lock_guard lock(mu_);
    auto it = job_of_.find(id);
    if (it == job_of_.end()) return;
    job_id = it->second;
  }
  auto queued = store_.cancel(job_id, runner_id_);
  if (!queued && queued.error().is_conflict() && queued.error().field == "runner_id") {
    // Another server adopted the job (it took the execution over): let go,
    // so this server spools the agent's lines for that server from now on
    // instead of handing them to callbacks nobody reads.
    post_([this, job_id] {
      runner::ProcessResult r;
      r.cancelled = true;
      r.error = "the job is followed by another server now";
      if (auto job = take(job_id)) finish(*job, r);
    });
    return;
  }
  if (queued.ok() && *queued) {
    post_([this, job_id] {
      runner::ProcessResult r;
      r.cancelled = true;
      if (auto job = take(job_id)) finish(*job, r);
    });
  }
}

size_t RemoteRunner::running() const {
  std::lock_guard lock(mu_);
  return jobs_.size();
}

void RemoteRunner::shutdown() { stopping_ = true; }

std::shared_ptr<RemoteRunner::Job> RemoteRunner::find(const std::string& job_id) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(job_id);
  return it == jobs_.end() ? nullptr : it->second;
}

std::shared_ptr<RemoteRunner::Job> RemoteRunner::take(const std::string& job_id) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return nullptr;
  auto job = it->second;
  jobs_.erase(it);
  std::erase_if(job_of_, [&](const auto& entry) { return entry.second == job_id; });
  return job;
}

void RemoteRunner::finish(Job& job, const runner::ProcessResult& result,
                          std::vector<runner::LogLine> last) {
  std::lock_guard lock(job.mu);
  if (job.ended) return;
  drain_spool_locked(job);
  if (job.cb.on_output && !last.empty()) job.cb.on_output(std::move(last));
  job.ended = true;
  if (job.cb.on_exit) job.cb.on_exit(result);
}

void RemoteRunner::drain_spool_locked(Job& job, bool known_spooled) {
  if (job.job_id.empty()) return;  // never queued: nothing can be spooled
  if (!known_spooled) {
    // One indexed lookup first: the spool is empty unless agents talk to
    // other servers, and this runs for every batch received directly.
    auto spooled = store_.has_spooled_logs(job.job_id);
    if (!spooled || !*spooled) return;
  }
  auto taken = store_.take_spooled_logs(runner_id_, job.job_id);
  if (!taken) {
    spdlog::warn("agents: cannot take the spooled log lines of job {}: {}", job.job_id,
                 taken.error().to_string());
    return;
  }
  for (store::SpooledLogs& batch : *taken) {
    auto lines = log_lines_from_json(batch.lines);
    if (!lines) {
      spdlog::warn("agents: a spooled log batch of job {} does not parse: {}", job.job_id,
                   lines.error().to_string());
      continue;
    }
    if (job.cb.on_output && !lines->empty()) job.cb.on_output(std::move(lines).value());
  }
}

void RemoteRunner::deliver_output(const std::string& job_id, std::vector<runner::LogLine>&& lines) {
  auto job = find(job_id);
  if (!job) return;
  std::lock_guard lock(job->mu);
  if (job->ended) return;
  drain_spool_locked(*job);  // batches posted to other servers before this one
  if (job->cb.on_output && !lines.empty()) job->cb.on_output(std::move(lines));
}

void RemoteRunner::note(const std::string& job_id, const std::string& text) {
  deliver_output(job_id, {server_log_line(text)});
}

void RemoteRunner::deliver_exit(const std::string& job_id, const JobResult& result) {
  auto job = take(job_id);
  if (!job) return;
  runner::ProcessResult r = result.to_process();
  if (result.success() && !result.outputs.empty() && !job->output_path.empty()) {
    std::ofstream out(job->output_path, std::ios::app | std::ios::binary);
    out << output_file_text(result.outputs);
    if (!out) {
      r.exit_code = -1;
      r.spawn_failed = true;
      r.error = "cannot write the step's outputs to " + job->output_path;
    }
  }
  finish(*job, r);
}

void RemoteRunner::deliver_lost(const store::LostJob& lost) {
  auto job = take(lost.job_id);
  if (!job) return;
  const std::string why = "agent " + lost.agent_name + " lost";
  runner::ProcessResult r;
  r.exit_code = -1;
  r.spawn_failed = true;
  r.error = why;
  finish(*job, r, {server_log_line(why + ": its lease ran out")});
}

}  // namespace opz::agent
