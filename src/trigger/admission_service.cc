#include "trigger/admission_service.h"

#include <spdlog/spdlog.h>

#include "core/time_format.h"
#include "governance/admission_json.h"
#include "trigger/execution_request_json.h"

namespace opz::trigger {

namespace {

constexpr const char* kRequestKey = "governance_request";
constexpr const char* kExplanationKey = "governance";

bool is_held(const store::ExecutionRecord& e) {
  return e.governance_status == "waiting" || e.governance_status == "pending_approval";
}

// True when the deploy queue is the only thing the execution waits for: it
// is "ready" in the queue's sense (governance/deploy_queue.h).
bool waits_only_for_queue(const governance::AdmissionDecision& d) {
  if (d.status != governance::AdmissionStatus::kWaiting) return false;
  for (const governance::RuleOutcome& r : d.rules) {
    const bool quiet =
        r.result == governance::RuleResult::kPass || r.result == governance::RuleResult::kSkipped;
    if (!quiet && r.rule != "deploy_queue") return false;
  }
  return true;
}

// When the execution was first admitted: "requested_at_ns" (full precision,
// so two requests in one millisecond keep their order in the deploy queue),
// else the ISO "requested_at", else `fallback`.
TimePoint requested_at_of(const Json& j, TimePoint fallback) {
  if (!j.is_object()) return fallback;
  if (auto ns = j.find("requested_at_ns"); ns != j.end() && ns->is_number_integer())
    return TimePoint{std::chrono::nanoseconds{ns->get<int64_t>()}};
  if (auto iso = j.find("requested_at"); iso != j.end() && iso->is_string()) {
    if (auto t = parse_time(iso->get<std::string>())) return *t;
  }
  return fallback;
}

// A person's request refused outright: the error says which rule and why.
Error refusal(const governance::AdmissionDecision& d) {
  const std::string message = "governance blocked this execution: " + d.blocked_reason;
  if (const auto* env = d.find("environment_exists");
      env && env->result == governance::RuleResult::kBlock)
    return Error::validation(message, "environment");
  if (const auto* role = d.find("role_authorized");
      role && role->result == governance::RuleResult::kBlock)
    return Error::forbidden(message);
  return Error::conflict(message);
}

std::string status_text(governance::AdmissionStatus s) { return std::string(to_string(s)); }

}  // namespace

AdmissionService::AdmissionService(AdmissionServiceDeps deps, AdmissionServiceOptions options)
    : d_(deps), options_(options) {}

AdmissionService::~AdmissionService() { stop(); }

Result<governance::QueueSnapshot> AdmissionService::queue(
    const governance::ExecutionRequest& request, const std::string& execution_id) {
  governance::QueueSnapshot snapshot;
  OPZ_TRY(auto rows, d_.executions.list_deploying(request.project_id, request.environment));
  for (const store::ExecutionRecord& e : rows) {
    if (e.id == execution_id) continue;
    if (!is_held(e)) {
      if (!snapshot.running) snapshot.running = e.id;  // the oldest admitted one deploys
      continue;
    }
    const Json& g = e.metadata.contains(kExplanationKey) ? e.metadata[kExplanationKey] : Json();
    governance::QueueEntry entry;
    entry.execution_id = e.id;
    entry.enqueued_at = requested_at_of(g, parse_time(e.created_at).value_or(TimePoint{}));
    entry.ready = g.is_object() && g.value("queue_ready", false);
    snapshot.waiting.push_back(std::move(entry));
  }
  return snapshot;
}

Result<AdmissionService::Evaluated> AdmissionService::evaluate(
    const governance::ExecutionRequest& request, const std::string& execution_id,
    TimePoint requested_at, TimePoint now) {
  OPZ_TRY(std::optional<governance::EnvironmentProtection> protection,
          d_.facts.environment(request.project_id, request.environment));
  governance::AdmissionState state;
  state.execution_id = execution_id;
  state.requested_at = requested_at;
  if (protection && !request.ci_only) {
    OPZ_TRY(state.emergency_stop, d_.facts.emergency_stop());
    OPZ_TRY(state.freeze_windows, d_.facts.freeze_windows(request.project_id));
    OPZ_TRY(state.hold, d_.facts.deploy_hold(request.project_id, request.environment));
    OPZ_TRY(state.lifecycle, d_.facts.lifecycle_gate(request));
    OPZ_TRY(state.queue, queue(request, execution_id));
    if (!execution_id.empty()) {
      OPZ_TRY(state.approval, d_.facts.approval(execution_id, now));
    }
  }
  Evaluated out;
  out.decision = governance::admit(request, protection ? &*protection : nullptr, state, now);
  out.explanation = governance::explanation_json(out.decision);
  out.explanation["requested_at"] = format_time(requested_at);
  out.explanation["requested_at_ns"] =
      std::chrono::duration_cast<std::chrono::nanoseconds>(requested_at.time_since_epoch())
          .count();
  out.explanation["evaluated_at"] = format_time(now);
  out.explanation["queue_ready"] = waits_only_for_queue(out.decision);
  if (protection && out.decision.status == governance::AdmissionStatus::kPendingApproval) {
    out.explanation["required_approvals"] = protection->required_approvals;
  }
  return out;
}

Result<store::ExecutionRecord> AdmissionService::submit(AdmissionRequest r) {
  engine::NewExecution execution = std::move(r.execution);
  return admit_and_create(r.request, [&](bool held, std::string status, Json metadata) {
    for (const auto& [key, value] : metadata.items()) execution.metadata[key] = value;
    execution.governance_status = std::move(status);
    execution.held = held;
    return d_.engine.submit(std::move(execution));
  });
}

Result<store::ExecutionRecord> AdmissionService::rerun(const std::string& execution_id,
                                                       const engine::RerunRequest& rerun,
                                                       const std::string& actor,
                                                       std::optional<auth::Role> role) {
  OPZ_TRY(store::ExecutionRecord original, d_.executions.find(execution_id, false));
  governance::ExecutionRequest request;
  const Json& m = original.metadata;
  if (m.contains(kRequestKey)) {
    OPZ_TRY(request, execution_request_from_json(m[kRequestKey]));
  } else {
    // Executions from before governance: the row's own facts.
    request.project_id = original.project_id;
    request.environment = original.environment;
    request.commit_sha = original.commit_hash;
    const std::string tag = m.value("tag", "");
    request.ref_kind = !tag.empty()                ? governance::RefKind::kTag
                       : !original.branch.empty() ? governance::RefKind::kBranch
                                                   : governance::RefKind::kNone;
    request.ref_name = !tag.empty() ? tag : original.branch;
    request.ci_only = m.value("ci_only", false);
  }
  request.trigger = governance::TriggerKind::kRerun;
  request.requested_by = actor;
  request.requester_role = role;
  request.pusher_user_id.reset();
  request.delivery_id.clear();
  request.trigger_key.clear();
  request.override_freeze_reason.clear();
  return admit_and_create(request, [&](bool held, std::string status, Json metadata) {
    engine::RerunRequest r = rerun;
    r.held = held;
    r.governance_status = std::move(status);
    r.metadata = std::move(metadata);
    return d_.engine.rerun(execution_id, r, actor);
  });
}

Result<store::ExecutionRecord> AdmissionService::admit_and_create(
    const governance::ExecutionRequest& request, const Creator& create) {
  std::lock_guard pass(pass_mu_);  // one decision at a time: the queue stays consistent
  const TimePoint now = d_.clock.now();
  OPZ_TRY(Evaluated ev, evaluate(request, "", now, now));
  const governance::AdmissionDecision& d = ev.decision;
  const bool person = !governance::is_system_trigger(request.trigger);
  if (d.status == governance::AdmissionStatus::kBlocked && person) return refusal(d);

  Json metadata = {{kRequestKey, to_json(request)}, {kExplanationKey, ev.explanation}};
  OPZ_TRY(store::ExecutionRecord created,
          create(d.status != governance::AdmissionStatus::kAllowed, status_text(d.status),
                 std::move(metadata)));

  switch (d.status) {
    case governance::AdmissionStatus::kAllowed:
      break;
    case governance::AdmissionStatus::kBlocked:
      // A trigger's execution: visible, and failed quoting the rule.
      OPZ_TRY_STATUS(d_.engine.fail(created.id, d.blocked_reason));
      created.status = "failed";
      created.blocked_reason = d.blocked_reason;
      break;
    case governance::AdmissionStatus::kPendingApproval: {
      OPZ_TRY(std::optional<governance::EnvironmentProtection> protection,
              d_.facts.environment(request.project_id, request.environment));
      if (protection) {
        Status opened = d_.facts.request_approval(
            governance::make_approval_request(request, *protection, created.id, now), *protection);
        if (!opened.ok())
          spdlog::error("governance: cannot open the approval request of {}: {}", created.id,
                        opened.error().to_string());
      }
      [[fallthrough]];
    }
    case governance::AdmissionStatus::kWaiting:
      reevaluate_all();  // the thread now knows when to look again
      break;
  }
  spdlog::info("governance: execution {} ({} {}) {}{}", created.id, request.environment,
               governance::to_string(request.trigger), status_text(d.status),
               d.blocked_reason.empty() ? "" : ": " + d.blocked_reason);
  return created;
}

Result<auth::Role> AdmissionService::required_role(const std::string& project_id,
                                                   const std::string& environment) {
  OPZ_TRY(std::optional<governance::EnvironmentProtection> protection,
          d_.facts.environment(project_id, environment));
  if (!protection)
    return Error::not_found("project " + project_id + " has no environment '" + environment + "'");
  return protection->required_role;
}

std::optional<TimePoint> AdmissionService::revisit(const store::ExecutionRecord& held,
                                                   TimePoint now) {
  const Json& m = held.metadata;
  auto request = execution_request_from_json(m.contains(kRequestKey) ? m[kRequestKey] : Json());
  if (!request) {
    // Held without a request (cannot happen through submit): fail loudly.
    const std::string why = "held without a governance request: " + request.error().message;
    (void)d_.engine.fail(held.id, why);
    return std::nullopt;
  }
  const Json& before = m.contains(kExplanationKey) ? m[kExplanationKey] : Json();
  const TimePoint requested_at = requested_at_of(before, now);
  auto ev = evaluate(*request, held.id, requested_at, now);
  if (!ev) {
    spdlog::warn("governance: cannot re-evaluate {}: {}", held.id, ev.error().to_string());
    return std::nullopt;
  }
  const governance::AdmissionDecision& d = ev->decision;
  const std::string status = status_text(d.status);
  const std::string at = format_time(now);
  // Only a change is written (the explanation's evaluated_at always differs).
  Json comparable = ev->explanation;
  comparable.erase("evaluated_at");
  Json previous = before;
  if (previous.is_object()) previous.erase("evaluated_at");
  if (status != held.governance_status || comparable != previous) {
    Status saved =
        d_.executions.set_governance(held.id, status, d.blocked_reason, ev->explanation, at);
    if (!saved.ok()) {
      spdlog::error("governance: cannot record the decision for {}: {}", held.id,
                    saved.error().to_string());
      return std::nullopt;
    }
  }
  switch (d.status) {
    case governance::AdmissionStatus::kAllowed: {
      Status released = d_.engine.release(held.id, "every rule passes");
      if (!released.ok())
        spdlog::error("governance: cannot release {}: {}", held.id, released.error().to_string());
      if (d.queue) {
        for (const std::string& older : d.queue->supersedes) {
          const std::string why = "superseded by the newer execution " + held.id;
          (void)d_.executions.set_governance(older, "blocked", why, Json::object(), at);
          (void)d_.engine.fail(older, why);
        }
      }
      return std::nullopt;
    }
    case governance::AdmissionStatus::kBlocked:
      (void)d_.engine.fail(held.id, d.blocked_reason);
      return std::nullopt;
    case governance::AdmissionStatus::kPendingApproval:
      // Approval became necessary while it was held (the rules changed), or
      // opening the request failed before: open it now (idempotent).
      if (auto tally = d_.facts.approval(held.id, now); tally && !*tally) {
        auto protection = d_.facts.environment(request->project_id, request->environment);
        if (protection && *protection) {
          Status opened = d_.facts.request_approval(
              governance::make_approval_request(*request, **protection, held.id, now),
              **protection);
          if (!opened.ok())
            spdlog::warn("governance: cannot open the approval request of {}: {}", held.id,
                         opened.error().to_string());
        }
      }
      return d.wait_until;
    case governance::AdmissionStatus::kWaiting:
      return d.wait_until;
  }
  return std::nullopt;
}

std::optional<TimePoint> AdmissionService::run_once() {
  std::lock_guard pass(pass_mu_);
  auto held = d_.executions.list_held();
  if (!held) {
    spdlog::warn("governance: cannot list held executions: {}", held.error().to_string());
    return std::nullopt;
  }
  std::optional<TimePoint> next;
  for (const store::ExecutionRecord& e : *held) {
    const auto wake = revisit(e, d_.clock.now());
    if (wake && (!next || *wake < *next)) next = wake;
  }
  return next;
}

Result<Json> AdmissionService::explain(const std::string& execution_id) {
  OPZ_TRY(store::ExecutionRecord e, d_.executions.find(execution_id, false));
  const Json& m = e.metadata;
  if (is_held(e) && m.contains(kRequestKey)) {
    OPZ_TRY(governance::ExecutionRequest request, execution_request_from_json(m[kRequestKey]));
    const TimePoint now = d_.clock.now();
    const Json& before = m.contains(kExplanationKey) ? m[kExplanationKey] : Json();
    OPZ_TRY(Evaluated ev, evaluate(request, e.id, requested_at_of(before, now), now));
    return ev.explanation;
  }
  if (m.contains(kExplanationKey)) return m[kExplanationKey];
  // Executions from before governance: say so rather than invent rules.
  return Json{{"status", e.governance_status.empty() ? Json(nullptr) : Json(e.governance_status)},
              {"blocked_reason", e.blocked_reason},
              {"rules", Json::array()},
              {"note", "this execution was not admitted through governance rules"}};
}

void AdmissionService::reevaluate(const std::string&) { reevaluate_all(); }

void AdmissionService::reevaluate_all() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_one();
}

void AdmissionService::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  woken_ = true;  // a first pass picks up what was held before a restart
  thread_ = std::thread([this] { loop(); });
}

void AdmissionService::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AdmissionService::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    const std::optional<TimePoint> next = run_once();
    const bool anything_held = [&] {
      auto held = d_.executions.list_held();
      return held && !held->empty();
    }();
    lock.lock();
    if (stopping_) break;
    // Wake at the earliest end of a wait (the clock may be a test's), and
    // while anything is held at least every `poll` for queue changes.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::hours(1);
    if (anything_held) deadline = std::chrono::steady_clock::now() + options_.poll;
    if (next) {
      const auto until = *next - d_.clock.now();
      const auto at = std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(until) +
                      std::chrono::milliseconds(5);
      if (at < deadline) deadline = at;
    }
    wake_.wait_until(lock, deadline, [this] { return stopping_ || woken_; });
  }
}

}  // namespace opz::trigger
