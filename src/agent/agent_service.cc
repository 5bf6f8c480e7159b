#include "agent/agent_service.h"

#include <spdlog/spdlog.h>

#include "auth/token.h"
#include "core/ids.h"

namespace opz::agent {

namespace {

// Agent tokens and registration tokens: 32 random bytes behind a prefix that
// names them (like auth's "opzt_" tokens), stored only as their SHA-256.
std::string new_token(std::string_view prefix) { return std::string(prefix) + random_hex(32); }

}  // namespace

AgentService::AgentService(store::AgentStore& store, const Clock& clock,
                           AgentServiceOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      runner_(
          store, clock, [q = queue_](Task t) { q->post(std::move(t)); },
          [this] { post([this] { match_waiters(); }); }) {}

AgentService::~AgentService() { stop(); }

void AgentService::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { loop(); });
  schedule_lease_check();
}

void AgentService::stop() {
  runner_.shutdown();
  std::list<Waiter> waiting;
  {
    std::lock_guard lock(mu_);
    waiting.swap(waiters_);
  }
  for (Waiter& w : waiting) w.answer(PollAnswer{std::nullopt, w.stop});
  queue_->stop();
  if (thread_.joinable()) thread_.join();
}

void AgentService::loop() {
  std::vector<Task> tasks;
  while (queue_->wait_and_take(tasks)) {
    for (Task& t : tasks) t();
    tasks.clear();
  }
}

void AgentService::schedule_lease_check() {
  queue_->post_at(std::chrono::steady_clock::now() + std::chrono::seconds(1), [this] {
    check_leases();
    schedule_lease_check();
  });
}

Result<IssuedToken> AgentService::create_registration_token(const std::string& created_by) {
  IssuedToken t{new_token("opzr_"), ""};
  OPZ_TRY(auto row, store_.create_registration_token(auth::hash_token(t.token), created_by,
                                                     options_.registration_token_ttl));
  t.expires_at = row.expires_at;
  return t;
}

Result<RegisteredAgent> AgentService::register_agent(const std::string& registration_token,
                                                     const std::string& name,
                                                     std::vector<std::string> labels,
                                                     int64_t concurrency,
                                                     const std::string& version) {
  RegisteredAgent out{"", new_token("opza_")};
  OPZ_TRY(store::AgentRecord a,
          store_.register_agent({auth::hash_token(registration_token), auth::hash_token(out.token),
                                 name, std::move(labels), concurrency, version}));
  out.agent_id = a.id;
  return out;
}

Result<store::AgentRecord> AgentService::authenticate(const std::string& token) {
  if (token.empty()) return Error::unauthenticated("an agent token is required");
  return store_.authenticate(auth::hash_token(token));
}

Result<std::optional<store::AgentJobRecord>> AgentService::claim(const store::AgentRecord& agent) {
  OPZ_TRY(auto job, store_.claim(agent, options_.lease_timeout));
  if (job) {
    const std::string text = "running on agent " + agent.name + " (job " + job->id +
                             ", lease generation " + std::to_string(job->generation) + ")";
    if (runner_.follows(job->id)) {
      runner_.note(job->id, text);
    } else {  // another server's job: the note reaches its runner through the spool
      Status noted = store_.spool_logs(agent.id, job->id, job->generation,
                                       log_lines_to_json({server_log_line(text)}));
      if (!noted.ok())
        spdlog::warn("agents: cannot note the claim of job {}: {}", job->id,
                     noted.error().to_string());
    }
  }
  return job;
}

void AgentService::poll(const store::AgentRecord& agent, const std::vector<std::string>& running,
                        std::chrono::milliseconds wait,
                        std::function<void(Result<PollAnswer>)> answer) {
  auto stop = store_.jobs_to_stop(agent.id, running);
  if (!stop) return answer(stop.error());
  auto job = claim(agent);
  if (!job) return answer(job.error());
  if (*job || wait.count() <= 0 || queue_->stopped())
    return answer(PollAnswer{std::move(*job), std::move(*stop)});
  uint64_t seq;
  {
    std::lock_guard lock(mu_);
    seq = next_waiter_++;
    waiters_.push_back({agent, std::move(*stop), std::move(answer), seq});
  }
  wait = std::min({wait, options_.max_poll_wait, options_.lease_timeout / 3});
  queue_->post_at(std::chrono::steady_clock::now() + wait, [this, seq] { expire_waiter(seq); });
  // A job queued between the claim above and now is matched here.
  post([this] { match_waiters(); });
}

void AgentService::match_waiters() {
  std::vector<store::AgentRecord> agents;
  std::vector<uint64_t> seqs;
  {
    std::lock_guard lock(mu_);
    for (const Waiter& w : waiters_) {
      agents.push_back(w.agent);
      seqs.push_back(w.seq);
    }
  }
  for (size_t i = 0; i < agents.size(); ++i) {
    auto job = claim(agents[i]);
    if (!job || !*job) continue;
    // Waiters are only removed on this thread (or by stop()), so it is there.
    std::optional<Waiter> w = take_waiter(seqs[i]);
    if (w) w->answer(PollAnswer{std::move(*job), std::move(w->stop)});
  }
}

std::optional<AgentService::Waiter> AgentService::take_waiter(uint64_t seq) {
  std::lock_guard lock(mu_);
  for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
    if (it->seq == seq) {
      Waiter w = std::move(*it);
      waiters_.erase(it);
      return w;
    }
  }
  return std::nullopt;
}

void AgentService::expire_waiter(uint64_t seq) {
  std::optional<Waiter> w = take_waiter(seq);
  if (w) w->answer(PollAnswer{std::nullopt, std::move(w->stop)});
}

Result<bool> AgentService::heartbeat(const store::AgentRecord& agent, const std::string& job_id,
                                     int64_t generation) {
  OPZ_TRY(store::AgentJobRecord job,
          store_.heartbeat(agent.id, job_id, generation, options_.lease_timeout));
  return job.cancel_requested;
}

Status AgentService::logs(const store::AgentRecord& agent, const std::string& job_id,
                          int64_t generation, std::vector<runner::LogLine>&& lines) {
  return deliver_or_spool(agent.id, job_id, generation, std::move(lines));
}

Status AgentService::deliver_or_spool(const std::string& agent_id, const std::string& job_id,
                                      int64_t generation, std::vector<runner::LogLine>&& lines) {
  // A job this runner has not tracked yet (an agent claiming it in the
  // instant between start()'s queueing and tracking) is spooled too: the
  // runner id is already in its row, so this runner takes the lines in sync().
  if (lines.empty() || runner_.follows(job_id)) {
    OPZ_TRY_STATUS(store_.check_lease(agent_id, job_id, generation));
    runner_.deliver_output(job_id, std::move(lines));
    return {};
  }
  return store_.spool_logs(agent_id, job_id, generation, log_lines_to_json(lines));
}

Result<bool> AgentService::complete(const store::AgentRecord& agent, const std::string& job_id,
                                    int64_t generation, const JobResult& result) {
  std::optional<int64_t> exit_code;
  if (result.exit_code >= 0) exit_code = result.exit_code;
  OPZ_TRY(store::CompletedJob done, store_.complete(agent.id, job_id, generation, exit_code,
                                                    result.success(), result.to_json()));
  if (done.first_time) {
    JobResult r = result;
    if (done.job.status == "cancelled") r.cancelled = true;
    runner_.deliver_exit(job_id, r);
  }
  return done.first_time;
}

Result<std::vector<store::AgentRecord>> AgentService::list() { return store_.list_agents(); }

Status AgentService::disable(const std::string& agent_id) {
  OPZ_TRY(std::vector<store::LostJob> lost, store_.disable_agent(agent_id));
  for (const store::LostJob& l : lost) runner_.deliver_lost(l);
  return {};
}

size_t AgentService::check_leases() {
  runner_.sync();
  purge_spool_now_and_then();
  auto lost = store_.expire(options_.lease_timeout);
  if (!lost) return 0;
  for (const store::LostJob& l : *lost) runner_.deliver_lost(l);
  return lost->size();
}

void AgentService::purge_spool_now_and_then() {
  const TimePoint now = clock_.now();
  {
    std::lock_guard lock(mu_);
    if (last_spool_purge_ && now - *last_spool_purge_ < std::chrono::minutes(1)) return;
    last_spool_purge_ = now;
  }
  auto purged = store_.purge_spooled_logs(options_.spool_retention);
  if (!purged)
    spdlog::warn("agents: cannot purge spooled log lines: {}", purged.error().to_string());
  else if (*purged > 0)
    spdlog::info("agents: purged {} spooled log batches of jobs nobody waits for any more",
                 *purged);
}

std::chrono::milliseconds AgentService::heartbeat_interval() const {
  return std::min<std::chrono::milliseconds>(std::chrono::milliseconds(5000),
                                             options_.lease_timeout / 3);
}

bool AgentService::has_online_match(const std::vector<std::string>& runs_on) {
  auto m = store_.has_online_match(runs_on);
  return m.ok() && *m;
}

bool AgentService::has_live_job(const std::string& execution_id, const std::string& node_id) {
  auto live = store_.has_live_job(execution_id, node_id);
  return live.ok() && *live;
}

}  // namespace opz::agent
