#include "trigger/admission_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/ids.h"
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

// Where a held execution stands in its environment's deploy queue: when it
// was first admitted, else when it was created.
TimePoint enqueued_at(const store::ExecutionRecord& e) {
  const Json& g = e.metadata.contains(kExplanationKey) ? e.metadata[kExplanationKey] : Json();
  return requested_at_of(g, parse_time(e.created_at).value_or(TimePoint{}));
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

// memo[key], loaded at first use; a failed load is not remembered.
template <typename Map, typename Key, typename Load>
Result<typename Map::mapped_type> once(Map& memo, const Key& key, Load load) {
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  OPZ_TRY(auto value, load());
  return memo.emplace(key, std::move(value)).first->second;
}

}  // namespace

// The facts one batch (or one re-evaluation) reads once, at first use. The
// deploy queues are carried forward as the batch decides: each new execution
// of the batch joins its environment's queue as the store would list it.
struct AdmissionService::SharedFacts {
  using Environment = std::pair<std::string, std::string>;  // (project id, name)
  std::map<Environment, std::optional<governance::EnvironmentProtection>> protections;
  std::map<int, governance::EmergencyStop> stop;  // one entry, key 0
  std::map<std::string, std::vector<governance::ZonedFreezeWindow>> windows;  // by project
  std::map<Environment, std::optional<governance::DeployHold>> holds;
  // (project id, environment, commit)
  std::map<std::tuple<std::string, std::string, std::string>,
           std::optional<governance::LifecycleGate>>
      gates;
  std::map<Environment, governance::QueueSnapshot> queues;

  // The new execution `id`, decided as `decision`, in its environment's
  // queue: held ones wait, an admitted one deploys when nothing else does,
  // a blocked one is failed at once and leaves it (only a loaded queue can
  // be one the execution joins: CI-only and unprotected requests load none).
  // A held execution re-decided by a pass: its environment's queue as the
  // store would now list it (released: deploying; blocked: gone; still
  // held: waiting, ready as now decided).
  void requeue(const governance::ExecutionRequest& request, const std::string& id,
               const Evaluated& decided, TimePoint requested_at) {
    leave_queue(request, id);
    join_queue(request, id, decided, requested_at);
  }

  // `id` no longer waits in its environment's queue (superseded, blocked).
  void leave_queue(const governance::ExecutionRequest& request, const std::string& id) {
    auto q = queues.find({request.project_id, request.environment});
    if (q == queues.end()) return;
    std::erase_if(q->second.waiting,
                  [&](const governance::QueueEntry& e) { return e.execution_id == id; });
  }

  void join_queue(const governance::ExecutionRequest& request, const std::string& id,
                  const Evaluated& decided, TimePoint requested_at) {
    auto q = queues.find({request.project_id, request.environment});
    if (q == queues.end() || request.ci_only) return;
    switch (decided.decision.status) {
      case governance::AdmissionStatus::kBlocked:
        return;
      case governance::AdmissionStatus::kAllowed:
        if (!q->second.running) q->second.running = id;
        return;
      case governance::AdmissionStatus::kPendingApproval:
      case governance::AdmissionStatus::kWaiting:
        q->second.waiting.push_back(
            {id, requested_at, decided.explanation.value("queue_ready", false)});
        return;
    }
  }
};

AdmissionService::AdmissionService(AdmissionServiceDeps deps, AdmissionServiceOptions options)
    : d_(deps), options_(options) {}

AdmissionService::~AdmissionService() { stop(); }

Result<governance::QueueSnapshot> AdmissionService::queue(
    const governance::ExecutionRequest& request) {
  governance::QueueSnapshot snapshot;
  OPZ_TRY(auto rows, d_.executions.list_deploying(request.project_id, request.environment));
  for (const store::ExecutionRecord& e : rows) {
    if (!is_held(e)) {
      if (!snapshot.running) snapshot.running = e.id;  // the oldest admitted one deploys
      continue;
    }
    const Json& g = e.metadata.contains(kExplanationKey) ? e.metadata[kExplanationKey] : Json();
    governance::QueueEntry entry;
    entry.execution_id = e.id;
    entry.enqueued_at = enqueued_at(e);
    entry.ready = g.is_object() && g.value("queue_ready", false);
    snapshot.waiting.push_back(std::move(entry));
  }
  return snapshot;
}

Result<AdmissionService::Evaluated> AdmissionService::evaluate(
    const governance::ExecutionRequest& request, const std::string& execution_id,
    TimePoint requested_at, TimePoint now, SharedFacts& shared) {
  const SharedFacts::Environment env{request.project_id, request.environment};
  OPZ_TRY(std::optional<governance::EnvironmentProtection> protection,
          once(shared.protections, env,
               [&] { return d_.facts.environment(request.project_id, request.environment); }));
  governance::AdmissionState state;
  state.execution_id = execution_id;
  state.requested_at = requested_at;
  if (protection && !request.ci_only) {
    OPZ_TRY(state.emergency_stop, once(shared.stop, 0, [&] { return d_.facts.emergency_stop(); }));
    OPZ_TRY(state.freeze_windows, once(shared.windows, request.project_id, [&] {
              return d_.facts.freeze_windows(request.project_id);
            }));
    OPZ_TRY(state.hold, once(shared.holds, env, [&] {
              return d_.facts.deploy_hold(request.project_id, request.environment);
            }));
    OPZ_TRY(state.lifecycle,
            once(shared.gates,
                 std::make_tuple(request.project_id, request.environment, request.commit_sha),
                 [&] { return d_.facts.lifecycle_gate(request); }));
    // A held candidate is in the snapshot itself: decide_queue() knows it by id.
    OPZ_TRY(state.queue, once(shared.queues, env, [&] { return queue(request); }));
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
  out.approval_requested = state.approval.has_value();
  if (protection && out.decision.status == governance::AdmissionStatus::kPendingApproval) {
    out.explanation["required_approvals"] = protection->required_approvals;
  }
  return out;
}

Result<store::ExecutionRecord> AdmissionService::submit(AdmissionRequest r) {
  std::vector<AdmissionRequest> one;
  one.push_back(std::move(r));
  return std::move(submit_many(std::move(one)).front());
}

std::vector<Result<store::ExecutionRecord>> AdmissionService::submit_many(
    std::vector<AdmissionRequest> requests) {
  std::lock_guard decision(decision_mu_);
  SharedFacts shared;
  std::vector<Result<store::ExecutionRecord>> results;
  results.reserve(requests.size());
  // Decide each in order; the admitted ones are created together below.
  struct Decided {
    size_t index;
    Admitted admitted;
    TimePoint at;
  };
  std::vector<Decided> decided;
  std::vector<engine::NewExecution> executions;
  decided.reserve(requests.size());
  executions.reserve(requests.size());
  TimePoint previous{};
  for (AdmissionRequest& r : requests) {
    // Each request strictly after the one before, as if submitted one by
    // one: the deploy queue orders by this time (then by id).
    TimePoint now = d_.clock.now();
    if (now <= previous) now = previous + std::chrono::nanoseconds(1);
    previous = now;
    results.emplace_back(Error::internal("not decided"));
    auto admitted = admit(r.request, now, shared);
    if (!admitted) {
      results.back() = admitted.error();
      continue;
    }
    engine::NewExecution& execution = r.execution;
    execution.id = new_uuid();
    for (const auto& [key, value] : admitted->metadata.items()) execution.metadata[key] = value;
    execution.governance_status = status_text(admitted->evaluated.decision.status);
    execution.held = admitted->held();
    shared.join_queue(r.request, execution.id, admitted->evaluated, now);
    executions.push_back(std::move(execution));
    decided.push_back({results.size() - 1, std::move(admitted).value(), now});
  }
  if (executions.empty()) return results;

  auto created = d_.engine.submit_many(std::move(executions));
  ++decisions_;
  bool any_held = false;
  for (size_t i = 0; i < decided.size(); ++i) {
    const Decided& d = decided[i];
    if (created[i]) {
      settle(requests[d.index].request, d.admitted, *created[i], d.at, shared);
      any_held = any_held || d.admitted.held();
    }
    results[d.index] = std::move(created[i]);
  }
  if (any_held) reevaluate_all();  // the thread now knows when to look again
  return results;
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
  std::lock_guard decision(decision_mu_);
  const TimePoint now = d_.clock.now();
  SharedFacts shared;
  OPZ_TRY(Admitted admitted, admit(request, now, shared));
  engine::RerunRequest r = rerun;
  r.held = admitted.held();
  r.governance_status = status_text(admitted.evaluated.decision.status);
  r.metadata = admitted.metadata;
  ++decisions_;  // even a failed rerun may have created its execution
  OPZ_TRY(store::ExecutionRecord created, d_.engine.rerun(execution_id, r, actor));
  settle(request, admitted, created, now, shared);
  if (admitted.held()) reevaluate_all();
  return created;
}

Result<AdmissionService::Admitted> AdmissionService::admit(
    const governance::ExecutionRequest& request, TimePoint now, SharedFacts& shared) {
  OPZ_TRY(Evaluated ev, evaluate(request, "", now, now, shared));
  const governance::AdmissionDecision& d = ev.decision;
  const bool person = !governance::is_system_trigger(request.trigger);
  if (d.status == governance::AdmissionStatus::kBlocked && person) return refusal(d);
  Admitted out;
  out.metadata = {{kRequestKey, to_json(request)}, {kExplanationKey, ev.explanation}};
  out.evaluated = std::move(ev);
  return out;
}

void AdmissionService::settle(const governance::ExecutionRequest& request,
                              const Admitted& admitted, store::ExecutionRecord& created,
                              TimePoint now, SharedFacts& shared) {
  const governance::AdmissionDecision& d = admitted.evaluated.decision;
  switch (d.status) {
    case governance::AdmissionStatus::kAllowed:
    case governance::AdmissionStatus::kWaiting:
      break;
    case governance::AdmissionStatus::kBlocked:
      // A trigger's execution: visible, and failed quoting the rule.
      if (Status failed = d_.engine.fail(created.id, d.blocked_reason); !failed.ok()) {
        spdlog::error("governance: cannot fail the blocked execution {}: {}", created.id,
                      failed.error().to_string());
        break;
      }
      created.status = "failed";
      created.blocked_reason = d.blocked_reason;
      break;
    case governance::AdmissionStatus::kPendingApproval: {
      // Read with the decision (the batch's facts): the environment exists.
      const auto& protection = shared.protections[{request.project_id, request.environment}];
      if (!protection) break;
      Status opened = d_.facts.request_approval(
          governance::make_approval_request(request, *protection, created.id, now), *protection);
      if (!opened.ok())
        spdlog::error("governance: cannot open the approval request of {}: {}", created.id,
                      opened.error().to_string());
      break;
    }
  }
  spdlog::info("governance: execution {} ({} {}) {}{}", created.id, request.environment,
               governance::to_string(request.trigger), status_text(d.status),
               d.blocked_reason.empty() ? "" : ": " + d.blocked_reason);
}

Result<auth::Role> AdmissionService::required_role(const std::string& project_id,
                                                   const std::string& environment) {
  OPZ_TRY(std::optional<governance::EnvironmentProtection> protection,
          d_.facts.environment(project_id, environment));
  if (!protection)
    return Error::not_found("project " + project_id + " has no environment '" + environment + "'");
  return protection->required_role;
}

AdmissionService::Revisited AdmissionService::revisit(const store::ExecutionRecord& held,
                                                     TimePoint now, SharedFacts& shared) {
  const Json& m = held.metadata;
  auto request = execution_request_from_json(m.contains(kRequestKey) ? m[kRequestKey] : Json());
  if (!request) {
    // Held without a request (cannot happen through submit): fail loudly.
    const std::string why = "held without a governance request: " + request.error().message;
    (void)d_.engine.fail(held.id, why);
    return {};
  }
  const Json& before = m.contains(kExplanationKey) ? m[kExplanationKey] : Json();
  const TimePoint requested_at = requested_at_of(before, now);
  auto ev = evaluate(*request, held.id, requested_at, now, shared);
  if (!ev) {
    spdlog::warn("governance: cannot re-evaluate {}: {}", held.id, ev.error().to_string());
    return {.held = true, .wake = std::nullopt};
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
      return {.held = true, .wake = std::nullopt};
    }
  }
  shared.requeue(*request, held.id, *ev, requested_at);
  switch (d.status) {
    case governance::AdmissionStatus::kAllowed: {
      Status released = d_.engine.release(held.id, "every rule passes");
      if (!released.ok())
        spdlog::error("governance: cannot release {}: {}", held.id, released.error().to_string());
      const bool still_held = !released.ok();
      if (d.queue) {
        for (const std::string& older : d.queue->supersedes) {
          const std::string why = "superseded by the newer execution " + held.id;
          shared.leave_queue(*request, older);
          (void)d_.executions.set_governance(older, "blocked", why, Json::object(), at);
          (void)d_.engine.fail(older, why);
        }
      }
      return {.held = still_held, .wake = std::nullopt};
    }
    case governance::AdmissionStatus::kBlocked:
      (void)d_.engine.fail(held.id, d.blocked_reason);
      return {};
    case governance::AdmissionStatus::kPendingApproval:
      // Approval became necessary while it was held (the rules changed), or
      // opening the request failed before: open it now (idempotent). The
      // request and the protection were read with the decision.
      if (!ev->approval_requested) {
        const auto& protection = shared.protections[{request->project_id, request->environment}];
        if (protection) {
          Status opened = d_.facts.request_approval(
              governance::make_approval_request(*request, *protection, held.id, now),
              *protection);
          if (!opened.ok())
            spdlog::warn("governance: cannot open the approval request of {}: {}", held.id,
                         opened.error().to_string());
        }
      }
      return {.held = true, .wake = d.wait_until};
    case governance::AdmissionStatus::kWaiting:
      return {.held = true, .wake = d.wait_until};
  }
  return {.held = true, .wake = std::nullopt};
}

AdmissionService::Revisited AdmissionService::pass() {
  std::lock_guard one_pass(pass_mu_);
  auto held = d_.executions.list_held();
  if (!held) {
    spdlog::warn("governance: cannot list held executions: {}", held.error().to_string());
    return {.held = true, .wake = std::nullopt};  // unknown: the safety net comes back
  }
  // In queue order (as decide_queue() orders), so each revisit sees the
  // decisions about the executions ahead of it already made in this pass.
  std::vector<std::pair<TimePoint, const store::ExecutionRecord*>> order;
  order.reserve(held->size());
  for (const store::ExecutionRecord& e : *held) order.emplace_back(enqueued_at(e), &e);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second->id) < std::tie(b.first, b.second->id);
  });
  Revisited left;
  // The facts held executions share (an environment's protection, hold and
  // deploy queue, a project's windows, the emergency stop) are read once per
  // pass, and the queues carried forward as the pass decides, as a batch
  // does: a pass over N held executions reads each queue once, not N times.
  // A submission or rerun between two revisits changed them: read again.
  SharedFacts shared;
  std::optional<uint64_t> read_after;  // decisions_ when `shared` was started
  for (const auto& [at, e] : order) {
    std::lock_guard decision(decision_mu_);
    if (read_after != decisions_) {
      shared = SharedFacts{};
      read_after = decisions_;
    }
    const Revisited one = revisit(*e, d_.clock.now(), shared);
    left.held = left.held || one.held;
    if (one.wake && (!left.wake || *one.wake < *left.wake)) left.wake = one.wake;
  }
  return left;
}

Result<Json> AdmissionService::explain(const std::string& execution_id) {
  OPZ_TRY(store::ExecutionRecord e, d_.executions.find(execution_id, false));
  const Json& m = e.metadata;
  if (is_held(e) && m.contains(kRequestKey)) {
    OPZ_TRY(governance::ExecutionRequest request, execution_request_from_json(m[kRequestKey]));
    const TimePoint now = d_.clock.now();
    const Json& before = m.contains(kExplanationKey) ? m[kExplanationKey] : Json();
    SharedFacts shared;
    OPZ_TRY(Evaluated ev, evaluate(request, e.id, requested_at_of(before, now), now, shared));
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
  using Steady = std::chrono::steady_clock;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    const Steady::time_point began = Steady::now();
    const Revisited left = pass();
    const Steady::time_point ended = Steady::now();
    const auto took = ended - began;
    lock.lock();
    if (stopping_) break;
    // Wake at the earliest end of a wait (the clock may be a test's), and
    // while anything is held, as a safety net, every poll, or every 20
    // passes' time when passes are slow.
    auto deadline = ended + std::chrono::hours(1);
    if (left.held) deadline = ended + std::max<Steady::duration>(options_.poll, 20 * took);
    if (left.wake) {
      const auto until = *left.wake - d_.clock.now();
      const auto at = Steady::now() +
                      std::chrono::duration_cast<Steady::duration>(until) +
                      std::chrono::milliseconds(5);
      if (at < deadline) deadline = at;
    }
    wake_.wait_until(lock, deadline, [this] { return stopping_ || woken_; });
    // Asked again at once: rest one pass's time first, so passes never take
    // more than half of this thread's time (what asks meanwhile joins the
    // same next pass).
    wake_.wait_until(lock, ended + took, [this] { return stopping_; });
  }
}

}  // namespace opz::trigger
