#include "trigger/github_workflow_handler.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <map>
#include <optional>
#include <set>

#include "core/quantity.h"
#include "core/time_format.h"
#include "trigger/github_token.h"

namespace opz::trigger {

namespace {

enum class Phase { kPrepare, kDispatch, kFindRun, kWaitRun, kDone };

bool same_repository(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool workflow_matches(const std::string& workflow, const std::string& path, int64_t id) {
  if (!workflow.empty() && workflow.find_first_not_of("0123456789") == std::string::npos)
    return std::to_string(id) == workflow;
  return path == workflow || path.ends_with("/" + workflow);
}

github::WorkflowRun run_from_event(const github::WorkflowRunEvent& e) {
  github::WorkflowRun r;
  r.id = e.id;
  r.name = e.name;
  r.head_sha = e.head_sha;
  r.head_branch = e.head_branch;
  r.event = e.event;
  r.status = e.status.empty() ? "completed" : e.status;
  r.conclusion = e.conclusion;
  r.workflow_id = e.workflow_id;
  r.run_number = e.run_number;
  r.html_url = e.html_url;
  return r;
}

std::string json_text(const Json& v) { return v.is_string() ? v.get<std::string>() : dump_json(v); }

}  // namespace

struct GithubWorkflowHandler::Waiter {
  engine::ExternalNodeRequest request;
  engine::ExternalNodeReporter reporter;
  // Guarded by the handler's mu_.
  Phase phase = Phase::kPrepare;
  bool cancelled = false;
  int64_t run_id = 0;
  std::optional<github::WorkflowRun> mailbox;  // a completed run reported by webhook
  TimePoint next_action{};
  // Written by the worker only (read under mu_ by on_workflow_run).
  std::string full_name;
  std::string workflow;
  std::string ref;
  std::map<std::string, std::string> inputs;
  github::ApiClientConfig api;
  std::string owner, repo;
  TimePoint deadline{};
  TimePoint dispatched_at{};
  std::chrono::milliseconds timeout{0};
  int attempts = 0;  // consecutive failed GitHub calls
};

GithubWorkflowHandler::GithubWorkflowHandler(store::GithubStore& github,
                                             const secrets::SecretBox& box, const Clock& clock,
                                             TriggerMetrics& metrics,
                                             WorkflowHandlerOptions options)
    : github_(github), box_(box), clock_(clock), metrics_(metrics), options_(options) {}

GithubWorkflowHandler::~GithubWorkflowHandler() { stop_worker(); }

void GithubWorkflowHandler::start_worker() {
  std::lock_guard lock(mu_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { loop(); });
}

void GithubWorkflowHandler::stop_worker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

size_t GithubWorkflowHandler::waiting() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

void GithubWorkflowHandler::start(const engine::ExternalNodeRequest& request,
                                  engine::ExternalNodeReporter reporter) {
  auto w = std::make_shared<Waiter>();
  w->request = request;
  w->reporter = std::move(reporter);
  w->next_action = clock_.now();
  {
    std::lock_guard lock(mu_);
    waiters_.push_back(std::move(w));
  }
  cv_.notify_all();
}

void GithubWorkflowHandler::cancel(const std::string& execution_id, const std::string& node_id,
                                   int attempt) {
  std::lock_guard lock(mu_);
  for (auto& w : waiters_) {
    if (w->request.execution_id == execution_id && w->request.node_id == node_id &&
        w->request.attempt == attempt) {
      w->cancelled = true;
      w->next_action = clock_.now();
    }
  }
  cv_.notify_all();
}

std::string GithubWorkflowHandler::on_workflow_run(const std::string& repository,
                                                   const github::WorkflowRunEvent& run) {
  std::lock_guard lock(mu_);
  std::set<int64_t> claimed;
  for (auto& w : waiters_) claimed.insert(w->run_id);
  for (auto& w : waiters_) {
    if (w->cancelled || w->phase == Phase::kDone || w->phase == Phase::kPrepare ||
        w->phase == Phase::kDispatch || !same_repository(w->full_name, repository))
      continue;
    const bool ours =
        w->run_id == run.id ||
        (w->run_id == 0 && !claimed.count(run.id) && run.event == "workflow_dispatch" &&
         run.head_branch == w->ref && workflow_matches(w->workflow, run.path, run.workflow_id));
    if (!ours) continue;
    w->run_id = run.id;
    if (run.action == "completed" || run.status == "completed") {
      w->mailbox = run_from_event(run);
      w->next_action = clock_.now();
      cv_.notify_all();
    }
    return "node " + w->request.node_id + " of execution " + w->request.execution_id + ": " +
           (run.conclusion.empty() ? std::string("no conclusion") : run.conclusion);
  }
  return "";
}

Status GithubWorkflowHandler::prepare(Waiter& w) {
  const engine::ExternalNodeRequest& r = w.request;
  if (r.project_id.empty())
    return Error::validation("github_workflow needs a project with a GitHub integration");
  OPZ_TRY(store::GithubIntegrationRecord integration, github_.find_by_project(r.project_id));
  if (integration.token_sealed.empty())
    return Error::validation(
        "the project's GitHub integration has no token; github_workflow "
        "nodes need one with the 'workflow' scope");
  OPZ_TRY(std::string token, GithubTokens(box_, options_.master_keys).open(integration));
  const Json& with = r.with.is_object() ? r.with : Json::object();
  w.workflow = with.contains("workflow") ? json_text(with["workflow"]) : integration.workflow_file;
  if (w.workflow.empty())
    return Error::validation("no workflow: set with.workflow or the integration's workflow_file");
  w.ref = with.contains("ref") ? json_text(with["ref"])
          : !r.branch.empty()  ? r.branch
          : !r.tag.empty()     ? r.tag
                               : std::string("main");
  if (with.contains("inputs")) {
    if (!with["inputs"].is_object()) return Error::validation("with.inputs must be an object");
    for (auto& [k, v] : with["inputs"].items()) w.inputs[k] = json_text(v);
  }
  w.timeout = options_.default_timeout;
  if (with.contains("timeout")) {
    const Json& t = with["timeout"];
    if (t.is_number_integer() && t.get<int64_t>() > 0) {
      w.timeout = std::chrono::seconds(t.get<int64_t>());
    } else if (t.is_string()) {
      OPZ_TRY(w.timeout, parse_duration(t.get<std::string>()));
    } else {
      return Error::validation("with.timeout must be a duration such as \"20m\"");
    }
  }
  w.owner = integration.repository_owner;
  w.repo = integration.repository_name;
  w.api.api_base = integration.api_base_url;
  w.api.token = token;
  w.api.transport = options_.transport;
  w.deadline = clock_.now() + w.timeout;
  std::lock_guard lock(mu_);
  w.full_name = integration.full_name();
  return {};
}

void GithubWorkflowHandler::finish(Waiter& w, bool success, const std::string& error,
                                   const github::WorkflowRun* run) {
  {
    std::lock_guard lock(mu_);
    if (w.phase == Phase::kDone) return;
    w.phase = Phase::kDone;
  }
  engine::ExternalNodeResult result;
  result.success = success;
  result.error = error;
  if (run) {
    result.outputs = {{"run_id", std::to_string(run->id)},
                      {"run_number", std::to_string(run->run_number)},
                      {"conclusion", run->conclusion},
                      {"html_url", run->html_url}};
  }
  metrics_.workflow_run(success                                        ? "success"
                        : run                                          ? "failure"
                        : error.find("timed out") != std::string::npos ? "timeout"
                                                                       : "error");
  if (w.reporter.log)
    w.reporter.log(success ? "workflow run succeeded" : error, success ? "info" : "error");
  if (w.reporter.finish) w.reporter.finish(std::move(result));
}

void GithubWorkflowHandler::step(Waiter& w) {
  Phase phase;
  std::optional<github::WorkflowRun> mailbox;
  int64_t run_id;
  std::set<int64_t> claimed;
  {
    std::lock_guard lock(mu_);
    if (w.cancelled) {
      w.phase = Phase::kDone;  // the engine already recorded the node; report nothing
      return;
    }
    phase = w.phase;
    mailbox = std::move(w.mailbox);
    w.mailbox.reset();
    run_id = w.run_id;
    for (auto& other : waiters_)
      if (other.get() != &w) claimed.insert(other->run_id);
  }
  const TimePoint now = clock_.now();
  auto later = [&](std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    w.next_action = now + d;
  };
  auto conclude = [&](const github::WorkflowRun& run) {
    if (run.conclusion == "success") {
      finish(w, true, "", &run);
    } else {
      finish(w, false,
             "workflow run " + std::to_string(run.id) + " concluded '" +
                 (run.conclusion.empty() ? std::string("none") : run.conclusion) + "'" +
                 (run.html_url.empty() ? "" : " (" + run.html_url + ")"),
             &run);
    }
  };
  auto github_failed = [&](const Error& e, const std::string& what) {
    if (github::is_retryable(e) && ++w.attempts < github::kMaxGithubAttempts) {
      if (w.reporter.log)
        w.reporter.log(
            what + " failed (attempt " + std::to_string(w.attempts) + "), retrying: " + e.message,
            "warn");
      later(github::next_retry_delay(w.attempts));
    } else {
      finish(w, false, what + " failed: " + e.message, nullptr);
    }
  };

  if (phase == Phase::kPrepare) {
    Status ready = prepare(w);
    if (!ready.ok()) {
      finish(w, false, ready.error().message, nullptr);
      return;
    }
    std::lock_guard lock(mu_);
    phase = w.phase = Phase::kDispatch;
  }
  if (phase != Phase::kDispatch && mailbox) {
    conclude(*mailbox);
    return;
  }
  if (now >= w.deadline) {
    finish(w, false,
           "timed out after " + format_duration(w.timeout) + " waiting for workflow " + w.workflow +
               (run_id ? " run " + std::to_string(run_id) : ""),
           nullptr);
    return;
  }
  github::ApiClient client(w.api);
  if (phase == Phase::kDispatch) {
    github::WorkflowDispatchRequest req{w.owner, w.repo, w.workflow, w.ref, w.inputs};
    w.dispatched_at = now;
    Status sent = client.dispatch_workflow(req);
    if (!sent.ok()) return github_failed(sent.error(), "dispatching " + w.workflow);
    w.attempts = 0;
    if (w.reporter.log)
      w.reporter.log(
          "dispatched workflow " + w.workflow + " on " + w.owner + "/" + w.repo + "@" + w.ref,
          "info");
    std::lock_guard lock(mu_);
    w.phase = Phase::kFindRun;
    w.next_action = now + options_.find_interval;
    return;
  }

  github::WorkflowRunQuery query{w.owner, w.repo, w.workflow, w.ref, "workflow_dispatch", 20};
  auto runs = client.list_workflow_runs(query);
  if (!runs) return github_failed(runs.error(), "listing runs of " + w.workflow);
  w.attempts = 0;
  const github::WorkflowRun* found = nullptr;
  if (run_id != 0) {
    for (const auto& r : *runs)
      if (r.id == run_id) found = &r;
  } else {
    const TimePoint since = w.dispatched_at - options_.clock_skew;
    for (const auto& r : *runs) {  // newest first: keep the oldest match after the dispatch
      auto created = parse_time(r.created_at);
      if (!created || *created < since || claimed.count(r.id)) continue;
      found = &r;
    }
    if (found) {
      std::lock_guard lock(mu_);
      w.run_id = found->id;
      w.phase = Phase::kWaitRun;
    }
    if (found && w.reporter.log)
      w.reporter.log("waiting for workflow run " + std::to_string(found->id) +
                         (found->html_url.empty() ? "" : " (" + found->html_url + ")"),
                     "info");
  }
  if (found && found->status == "completed") {
    conclude(*found);
    return;
  }
  later(found || run_id ? options_.poll_interval : options_.find_interval);
}

void GithubWorkflowHandler::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const TimePoint now = clock_.now();
    std::vector<std::shared_ptr<Waiter>> due;
    TimePoint earliest = now + std::chrono::seconds(1);
    for (auto& w : waiters_) {
      if (w->next_action <= now || w->cancelled)
        due.push_back(w);
      else
        earliest = std::min(earliest, w->next_action);
    }
    if (due.empty()) {
      cv_.wait_for(lock, std::chrono::duration_cast<std::chrono::milliseconds>(earliest - now) +
                             std::chrono::milliseconds(1));
      continue;
    }
    lock.unlock();
    for (auto& w : due) step(*w);
    lock.lock();
    waiters_.remove_if([](const std::shared_ptr<Waiter>& w) { return w->phase == Phase::kDone; });
  }
}

}  // namespace opz::trigger
