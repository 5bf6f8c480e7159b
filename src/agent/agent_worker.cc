#include "agent/agent_worker.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "git/mirror_checkout.h"
#include "git/mirror_sweep.h"
#include "git/shell_quote.h"

namespace opz::agent {

namespace fs = std::filesystem;
using git::shell_quote;
using std::chrono::milliseconds;

namespace {

bool safe_name(const std::string& s) {
  return !s.empty() && s.size() <= 100 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
             std::string::npos &&
         s != "." && s != "..";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Written to a temporary file, then renamed over `path`: a reader (the next
// start) sees the old file or the new one, never half of one.
bool write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

// The shell command of a job: its checkout (when it has one), then the step.
// The execution's workspace is made once per agent (under ws.lock, shared by
// the execution's jobs here) from the work dir's mirror of the repository
// (git/mirror_checkout.h: fetched only when it lacks the commit), in ws.tmp
// renamed into place, so a failed checkout leaves no workspace behind. A
// failed fetch fails the job with a line naming the URL (no credentials).
std::string job_command(const JobSpec& spec, const std::string& ws, const std::string& work_dir) {
  if (spec.checkout_url.empty()) return spec.command;
  const std::string tmp = ws + ".tmp";
  const std::string checkout =
      git::checkout_command({.remote = {{}, spec.checkout_url},
                             .commit_sha = spec.checkout_commit,
                             .branch = {},
                             .dir = tmp,
                             .mirror = git::mirror_dir(work_dir, spec.checkout_url),
                             .on_fetch_failure = git::FetchFailure::kFail});
  const std::string sync = "if [ ! -d " + shell_quote(ws) + " ]; then rm -rf " + shell_quote(tmp) +
                           " && sha=$(" + checkout + ") && mv " + shell_quote(tmp) + " " +
                           shell_quote(ws) +
                           " && echo \"[opzenix] checked out $sha\" || exit 1; fi";
  return "flock " + shell_quote(ws + ".lock") + " /bin/sh -c " + shell_quote(sync) + " && cd " +
         shell_quote(ws) + " && exec /bin/sh -c " + shell_quote(spec.command);
}

// Locks <dir>.lock, held while this worker owns the job in <dir>: a worker
// starting on the same work dir (another agent process) leaves it alone
// rather than taking it for a dead one's. Invalid when not locked.
runner::UniqueFd lock_job(const std::string& dir, bool wait) {
  runner::UniqueFd fd(::open((dir + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd || ::flock(fd.get(), wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0) return {};
  return fd;
}

}  // namespace

void AgentWorker::forget(std::map<std::string, Job>::iterator it) {
  std::error_code ec;
  fs::remove_all(it->second.dir, ec);
  ::unlink((it->second.dir + ".lock").c_str());  // still held: no one else can be in it
  jobs_.erase(it);
}

AgentWorker::AgentWorker(AgentTransport& server, runner::Runner& runner, AgentWorkerOptions options)
    : server_(server), runner_(runner), options_(std::move(options)) {}

void AgentWorker::recover() {
  if (options_.mirror_unused_for.count() > 0)
    for (const std::string& gone : git::remove_unused_mirrors(
             options_.work_dir, std::chrono::system_clock::now(), options_.mirror_unused_for))
      spdlog::info(
          "agent: removed the git mirror {} (unused for {} h)", gone,
          std::chrono::duration_cast<std::chrono::hours>(options_.mirror_unused_for).count());
  std::error_code ec;
  fs::create_directories(options_.work_dir + "/jobs", ec);
  for (const auto& entry : fs::directory_iterator(options_.work_dir + "/jobs", ec)) {
    if (!entry.is_directory(ec)) continue;
    runner::UniqueFd held = lock_job(entry.path().string(), /*wait=*/false);
    if (!held) continue;  // a live worker's job (another agent process on this work dir)
    const std::string id = entry.path().filename().string();
    Json saved = Json::parse(read_file(entry.path().string() + "/result.json"), nullptr, false);
    auto result = saved.is_object() && saved.contains("result")
                      ? JobResult::from_json(saved["result"])
                      : Result<JobResult>(Error::not_found("no result"));
    if (!result) {  // the process died with the agent: its lease runs out on the server
      fs::remove_all(entry.path(), ec);
      ::unlink((entry.path().string() + ".lock").c_str());
      continue;
    }
    Job job;
    job.id = id;
    job.generation = saved.value("generation", int64_t{0});
    job.dir = entry.path().string();
    job.result = std::move(result).value();
    job.lock = std::move(held);
    spdlog::info("agent: re-sending the result of job {} found on disk", id);
    std::lock_guard lock(mu_);
    jobs_[id] = std::move(job);
  }
}

void AgentWorker::start_job(const Json& j) {
  const std::string id = j.value("id", std::string());
  const int64_t generation = j.value("generation", int64_t{0});
  auto spec = JobSpec::from_json(j);
  if (!safe_name(id) || !spec) {
    spdlog::error("agent: the server sent a job that does not parse");
    return;
  }
  std::string execution = j.value("execution_id", std::string());
  if (!safe_name(execution)) execution = id;
  Job job;
  job.id = id;
  job.generation = generation;
  job.dir = options_.work_dir + "/jobs/" + id;
  job.output_path = job.dir + "/output";
  job.heartbeat_every = milliseconds(
      std::clamp<int64_t>(j.value("heartbeat_ms", options_.heartbeat_every.count()), 100, 60000));
  const std::string ws = options_.work_dir + "/workspaces/" + execution;
  std::error_code ec;
  fs::create_directories(options_.work_dir + "/jobs", ec);
  job.lock = lock_job(job.dir, /*wait=*/true);
  fs::create_directories(job.dir, ec);
  fs::create_directories(spec->checkout_url.empty() ? ws : options_.work_dir + "/workspaces", ec);
  write_atomically(job.dir + "/job.json", Json{{"id", id}, {"generation", generation}}.dump());
  runner::ProcessSpec ps;
  ps.command = job_command(*spec, ws, options_.work_dir);
  ps.cwd = options_.work_dir;
  if (spec->checkout_url.empty()) ps.cwd = ws;
  for (const std::string& e : spec->env) {
    if (e.rfind("OPZENIX_OUTPUT=", 0) == 0) {
      ps.env.push_back("OPZENIX_OUTPUT=" + job.output_path);
    } else if (e.rfind("OPZENIX_WORKSPACE=", 0) == 0) {
      ps.env.push_back("OPZENIX_WORKSPACE=" + ws);
    } else {
      ps.env.push_back(e);
    }
  }
  // Names the step as an agent's: a server on the same machine can tell it
  // from the leftovers of its own steps (docs/agents.md).
  ps.env.push_back("OPZENIX_AGENT_JOB_ID=" + id);
  ps.timeout = milliseconds(spec->timeout_ms);
  ps.kill_grace = milliseconds(spec->kill_grace_ms);
  ps.log_cap_bytes = spec->log_cap_bytes;
  {
    std::lock_guard lock(mu_);
    jobs_[id] = std::move(job);
  }
  runner::ProcessCallbacks cb;
  cb.on_output = [this, id](std::vector<runner::LogLine>&& lines) {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return;
    for (runner::LogLine& l : lines) {
      it->second.pending_bytes += l.text.size() + 1;
      it->second.pending.push_back(std::move(l));
    }
    if (it->second.pending_bytes >= options_.log_batch_bytes) cv_.notify_all();
  };
  cb.on_exit = [this, id](const runner::ProcessResult& r) { on_exit(id, r); };
  runner::ProcessId pid = runner_.start(std::move(ps), std::move(cb));
  std::lock_guard lock(mu_);
  if (auto it = jobs_.find(id); it != jobs_.end()) it->second.pid = pid;
  spdlog::info("agent: job {} (generation {}) started", id, generation);
}

void AgentWorker::on_exit(const std::string& id, const runner::ProcessResult& r) {
  JobResult result = JobResult::from_process(r);
  std::string dir;
  {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) return;
    dir = it->second.dir;
    if (it->second.abandoned) {
      forget(it);
      return;
    }
  }
  if (result.success()) {
    auto outputs = runner::parse_output_file(read_file(dir + "/output"));
    if (outputs) {
      result.outputs = std::move(outputs).value();
    } else {
      result.exit_code = -1;
      result.error = "$OPZENIX_OUTPUT: " + outputs.error().message;
    }
  }
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  // The exit code is on disk before the server hears of it.
  write_atomically(
      dir + "/result.json",
      Json{{"id", id}, {"generation", it->second.generation}, {"result", result.to_json()}}.dump());
  it->second.result = std::move(result);
  cv_.notify_all();
}

void AgentWorker::kill(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  it->second.abandoned = true;
  it->second.pending.clear();
  if (it->second.result) {  // already ended: nothing to kill, nothing to send
    forget(it);
    return;
  }
  if (it->second.pid != runner::kNoProcess) runner_.cancel(it->second.pid);
}

void AgentWorker::report() {
  struct Work {
    std::string id;
    int64_t generation;
    std::vector<runner::LogLine> lines;
    bool heartbeat;
    std::optional<JobResult> result;
  };
  std::vector<Work> work;
  const auto now = Steady::now();
  {
    std::lock_guard lock(mu_);
    for (auto& [id, job] : jobs_) {
      if (job.abandoned) continue;
      Work w{id, job.generation, {}, false, std::nullopt};
      if (!job.pending.empty() && (now - job.last_flush >= options_.log_flush_every || job.result ||
                                   job.pending_bytes >= options_.log_batch_bytes)) {
        w.lines.swap(job.pending);
        job.pending_bytes = 0;
        job.last_flush = now;
      }
      if (!job.result && now - job.last_heartbeat >= job.heartbeat_every) {
        w.heartbeat = true;
        job.last_heartbeat = now;
      }
      if (job.result && job.pending.empty()) w.result = job.result;
      work.push_back(std::move(w));
    }
  }
  const milliseconds timeout(15000);
  for (Work& w : work) {
    const std::string base = "/api/v1/agents/jobs/" + w.id;
    bool fenced = false;
    if (!w.lines.empty()) {
      auto a = server_.post(base + "/logs",
                            {{"generation", w.generation}, {"lines", log_lines_to_json(w.lines)}},
                            timeout);
      if (a && a->status == 409) fenced = true;
      if (!a || (a->status >= 500)) {  // not delivered: keep them for the next pass
        std::lock_guard lock(mu_);
        if (auto it = jobs_.find(w.id); it != jobs_.end()) {
          it->second.pending.insert(it->second.pending.begin(), w.lines.begin(), w.lines.end());
          if (w.result) w.result.reset();
        }
      }
    }
    if (w.heartbeat && !fenced) {
      auto a = server_.post(base + "/heartbeat", {{"generation", w.generation}}, timeout);
      if (a && a->status == 409) fenced = true;
      if (a && a->status == 200 && a->body.is_object() && a->body.value("cancel", false)) {
        std::lock_guard lock(mu_);
        if (auto it = jobs_.find(w.id); it != jobs_.end() && it->second.pid != runner::kNoProcess)
          runner_.cancel(it->second.pid);  // the exit (cancelled) is still completed
      }
    }
    if (fenced) {
      spdlog::warn("agent: job {} is no longer ours (stale lease); stopping it", w.id);
      kill(w.id);
      continue;
    }
    if (w.result) {
      Json body = w.result->to_json();
      body["generation"] = w.generation;
      auto a = server_.post(base + "/complete", body, timeout);
      if (a && (a->status == 200 || a->status == 409 || a->status == 404)) {
        spdlog::info("agent: job {} completed (exit {}, server answered {})", w.id,
                     w.result->exit_code, a->status);
        std::lock_guard lock(mu_);
        if (auto it = jobs_.find(w.id); it != jobs_.end()) forget(it);
      }
    }
  }
}

void AgentWorker::report_loop(const std::atomic<bool>& stop) {
  while (!stop) {
    report();
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, options_.log_flush_every);
  }
}

int AgentWorker::run(const std::atomic<bool>& stop) {
  recover();
  std::thread reporter([this, &stop] { report_loop(stop); });
  while (!stop) {
    std::vector<std::string> running;
    size_t busy = 0;
    {
      std::lock_guard lock(mu_);
      for (const auto& [id, job] : jobs_) {
        if (job.abandoned) continue;
        running.push_back(id);
        if (!job.result) ++busy;
      }
    }
    const bool full = busy >= static_cast<size_t>(options_.concurrency);
    const milliseconds wait = full ? milliseconds(0) : options_.poll_wait;
    auto a = server_.post("/api/v1/agents/poll", {{"running", running}, {"wait_ms", wait.count()}},
                          wait + milliseconds(15000));
    if (!a || a->status == 401 || a->status >= 500) {
      if (a && a->status == 401) spdlog::error("agent: the server refused the agent token");
      if (!a) spdlog::warn("agent: {}", a.error().message);
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop.load(); });
      continue;
    }
    if (a->status == 200 && a->body.is_object()) {
      if (a->body.contains("stop") && a->body["stop"].is_array())
        for (const Json& id : a->body["stop"])
          if (id.is_string()) kill(id.get<std::string>());
      if (a->body.contains("job") && a->body["job"].is_object()) start_job(a->body["job"]);
    }
    if (full) {  // no room for work: only a heartbeat every few seconds
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop.load(); });
    }
  }
  cv_.notify_all();
  reporter.join();
  return 0;
}

}  // namespace opz::agent
