// Scheduler: several servers on one database (see scheduler.h and
// engine/execution_ownership.h). Claims before a run starts, the periodic
// ownership round (lease renewal, self-fencing, takeover of orphans) and the
// commands other servers queue for the executions this one runs.
#include <spdlog/spdlog.h>

#include "engine/scheduler.h"

namespace opz::engine {

namespace {

// How often the commands other servers queued here are looked for when the
// database does not announce them: well inside their sender's wait
// (kCommandAnswerTimeout).
constexpr std::chrono::milliseconds kCommandPoll{200};
// While the lease cannot be renewed, fence_if_stale() tries at most this often.
constexpr std::chrono::milliseconds kFenceRetry{500};

std::string text_of(const Json& payload, const char* key) {
  auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool Scheduler::claim(const std::string& id) {
  auto c = ownership_.claim(id);
  if (!c) {
    // Unclaimed it stays an orphan: this server (or another) takes it over
    // with the next ownership round.
    spdlog::error("engine: cannot claim execution {}: {}", id, c.error().to_string());
    return false;
  }
  if (!c->claimed) {
    spdlog::debug("engine: execution {} is run by server {}", id, c->owner);
    return false;
  }
  generations_[id] = c->generation;
  return true;
}

Result<Scheduler::Route> Scheduler::route(const std::string& id) {
  OPZ_TRY(std::optional<OwnerInfo> owner, ownership_.owner_of(id));
  if (!owner) return Route{};  // never claimed: held by governance (or not started yet)
  if (owner->alive && owner->server_id != ownership_.server_id())
    return Route{owner->server_id, false};
  // Its owner is dead (or is us, without it in memory): run it here.
  OPZ_TRY(store::ExecutionDetail detail, journal_.load(id));
  auto status = execution_status_from_string(detail.execution.status);
  if (!status || is_terminal(*status) || held_by_governance(detail.execution)) return Route{};
  auto c = ownership_.claim(id);
  if (!c) return c.error();
  if (!c->claimed) return Route{c->owner, false};
  generations_[id] = c->generation;
  RecoveryReport report;
  if (!resume_from_journal(std::move(detail.execution), report)) return Route{};
  spdlog::warn("engine: execution {} taken over from server {} to run a command", id,
               owner->server_id);
  return Route{"", true};
}

void Scheduler::schedule_ownership() {
  if (!ownership_.shared()) return;
  if (auto renewed = ownership_.renew(); !renewed)
    spdlog::error("engine: cannot renew the server lease: {}", renewed.error().to_string());
  // Runs on the database's listener thread: only posts.
  command_watch_ = ownership_.watch_commands(
      [q = queue_, this] { q->post([this] { run_forwarded_commands(); }); });
  ownership_timer();
  commands_timer();
}

void Scheduler::ownership_timer() {
  post_after(std::chrono::duration_cast<std::chrono::milliseconds>(ownership_.lease_timeout() / 3),
             [this] {
               ownership_round();
               ownership_timer();
             });
}

void Scheduler::commands_timer() {
  post_after(command_watch_ ? ownership_.command_poll_fallback() : kCommandPoll, [this] {
    run_forwarded_commands();
    commands_timer();
  });
}

void Scheduler::ownership_round() {
  if (!ownership_.shared()) return;
  if (!fence()) return;
  take_over_orphans();
  run_forwarded_commands();
}

bool Scheduler::fence() {
  auto lapsed = ownership_.renew();
  if (!lapsed) {
    // Not renewed: others may take our executions over; the next round
    // (or the fencing below, once the database answers) sees it.
    spdlog::error("engine: cannot renew the server lease: {}", lapsed.error().to_string());
    return false;
  }
  if (*lapsed) spdlog::warn("engine: this server's lease had lapsed; checking what it still owns");
  // A run whose owner row names another server, or another generation, is
  // no longer ours.
  auto owned = ownership_.owned();
  if (!owned) {
    spdlog::error("engine: cannot read this server's executions: {}", owned.error().to_string());
    return false;
  }
  std::vector<std::string> lost;
  for (const auto& [id, run] : runs_) {
    if (run->finished()) continue;
    auto it = owned->find(id);
    auto mine = generations_.find(id);
    if (it == owned->end() || mine == generations_.end() || it->second != mine->second)
      lost.push_back(id);
  }
  for (const std::string& id : lost) drop(id, DropCause::kOwnershipCheck);
  return true;
}

void Scheduler::fence_if_stale() {
  if (!ownership_.shared() || ownership_.lease_fresh()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_stale_fence_ < kFenceRetry) return;
  last_stale_fence_ = now;
  fence();
}

void Scheduler::drop(const std::string& id, DropCause cause) {
  ExecutionRun* run = find(id);
  if (!run) return;
  const bool at_commit = cause == DropCause::kCommitFenced;
  spdlog::warn("engine: dropping execution {} (another server owns it now; {}): its processes are "
               "stopped, and the owning server records what happens next",
               id, at_commit ? "the commit was fenced off" : "found by the ownership check");
  metrics_.execution_dropped(at_commit ? "commit" : "check", !run->finished());
  if (run->checkout != runner::kNoProcess) runner_.cancel(run->checkout);
  for (NodeRuntime& n : run->nodes) {
    if (n.phase == NodePhase::kSteps && n.process != runner::kNoProcess) runner_.cancel(n.process);
    if (n.phase == NodePhase::kExternal) {
      if (auto h = handlers_.find(n.row.type); h != handlers_.end())
        h->second->cancel(id, n.row.node_id, n.row.attempt);
    }
    n.process = runner::kNoProcess;
    ++n.generation;  // late callbacks of its attempts change nothing
  }
  std::erase(dirty_, run);
  std::erase(to_settle_, run);
  recorder_.discard(id);  // what it recorded and did not commit yet is not written either
  runs_.erase(id);
  generations_.erase(id);
  interrupted_.erase(id);
}

void Scheduler::take_over_orphans() {
  auto orphans = ownership_.orphaned();
  if (!orphans) {
    spdlog::error("engine: cannot list orphaned executions: {}", orphans.error().to_string());
    return;
  }
  RecoveryReport report;
  for (const std::string& id : *orphans) {
    if (find(id)) continue;
    auto owner = ownership_.owner_of(id);
    const std::string previous = owner && *owner ? (*owner)->server_id : std::string("none");
    if (!claim(id)) continue;
    auto detail = journal_.load(id);
    if (!detail) {
      spdlog::error("engine: cannot load execution {}: {}", id, detail.error().to_string());
      continue;
    }
    spdlog::warn("engine: taking over execution {} (owner {} is gone)", id, previous);
    resume_from_journal(std::move(detail->execution), report);
  }
}

void Scheduler::run_forwarded_commands() {
  if (!ownership_.shared()) return;
  auto commands = ownership_.pending_commands();
  if (!commands) {
    spdlog::error("engine: cannot read forwarded commands: {}", commands.error().to_string());
    return;
  }
  for (const ForwardedCommand& c : *commands) {
    Status outcome = c.expired ? Status(Error::unavailable("the command expired before this "
                                                           "server saw it; nothing changed"))
                               : run_forwarded(c);
    if (auto st = ownership_.complete_command(c.id, outcome); !st)
      spdlog::warn("engine: command {} for execution {}: {}", c.id, c.execution_id,
                   st.error().message);  // its sender gave up: told 503
  }
}

Status Scheduler::run_forwarded(const ForwardedCommand& c) {
  const std::string reason = text_of(c.payload, "reason");
  CommandAnswer answer;
  if (c.kind == "cancel") {
    answer = cancel(c.execution_id, reason, c.actor);
  } else if (c.kind == "force_fail") {
    answer = force_fail(c.execution_id, reason, c.actor);
  } else if (c.kind == "approval") {
    auto approved = c.payload.find("approved");
    answer = resolve_approval(c.execution_id, text_of(c.payload, "node_id"),
                              approved != c.payload.end() && approved->is_boolean() &&
                                  approved->get<bool>(),
                              c.actor, reason);
  } else {
    return Error::validation("unknown command kind '" + c.kind + "'", "kind");
  }
  if (!answer.forward_to.empty())
    return Error::unavailable("execution " + c.execution_id + " is run by server " +
                              answer.forward_to + " now; nothing changed");
  return answer.status;
}

}  // namespace opz::engine
