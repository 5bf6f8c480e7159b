#include "trigger/trigger_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/ids.h"
#include "trigger/commit_status_reporter.h"
#include "trigger/git_poller.h"
#include "trigger/mirror_diff.h"

namespace opz::trigger {

namespace {

// Without an admission path nothing can start; deliveries stay pending.
class NoEngineSubmitter final : public ExecutionSubmitter {
 public:
  Result<store::ExecutionRecord> submit(AdmissionRequest) override {
    return Error::unavailable("no engine is running");
  }
};

}  // namespace

TriggerService::TriggerService(TriggerServiceDeps deps, TriggerServiceOptions options)
    : d_(deps),
      options_(std::move(options)),
      metrics_(deps.metrics),
      github_(deps.db, deps.clock),
      integrations_(github_, deps.clock),
      deliveries_(deps.db, deps.clock),
      mappings_(deps.db, deps.clock),
      mapper_cache_(mappings_, deps.clock),
      statuses_(deps.db, deps.clock),
      polls_(deps.db, deps.clock),
      public_url_(options_.public_url) {
  submitter_ = d_.submitter;
  if (!submitter_) {
    owned_submitter_ = std::make_unique<NoEngineSubmitter>();
    submitter_ = owned_submitter_.get();
  }
  WorkflowHandlerOptions wo = options_.workflow;
  wo.transport = options_.github_transport;
  wo.master_keys = d_.master_keys;
  workflow_ = std::make_shared<GithubWorkflowHandler>(github_, d_.box, d_.clock, metrics_, wo);

  const GitRemoteOptions git = options_.git;
  DeliveryProcessorDeps pd{d_.db,    deliveries_, github_,  d_.projects,     mappings_, statuses_,
                           d_.audit, *submitter_, metrics_, workflow_.get(), nullptr,   nullptr, nullptr};
  pd.resolve_tag = [git](const std::string& url, const std::string& tag) {
    return resolve_tag(url, tag, git);
  };
  pd.public_url = [this] { return public_url(); };
  if (!options_.data_dir.empty()) {
    pd.mirror_paths = [dir = options_.data_dir, git](const std::string& url,
                                                     const std::string& before,
                                                     const std::string& after) {
      return mirror_changed_paths(dir, url, before, after, git);
    };
  }
  processor_ = std::make_unique<DeliveryProcessor>(std::move(pd));
  receiver_ = std::make_unique<DeliveryReceiver>(
      integrations_, deliveries_, d_.box, metrics_,
      [this](const std::string& id, auto event) {
        enqueue({id, std::move(event)});
      },
      &mapper_cache_);
  poller_ = std::make_unique<GitPoller>(GitPollerDeps{
      d_.db, d_.projects, polls_, mappings_, d_.audit, *submitter_, metrics_, d_.clock, git});
  reporter_ = std::make_unique<CommitStatusReporter>(
      CommitStatusReporterDeps{d_.executions, github_, statuses_, d_.box, metrics_, d_.clock,
                               [this] { return public_url(); }, options_.github_transport,
                               d_.master_keys});
}

TriggerService::~TriggerService() { stop(); }

void TriggerService::set_public_url(std::string url) {
  std::lock_guard lock(mu_);
  public_url_ = std::move(url);
}

std::string TriggerService::public_url() const {
  std::lock_guard lock(mu_);
  return public_url_;
}

Status TriggerService::start() {
  {
    std::lock_guard lock(mu_);
    if (running_) return {};
  }
  OPZ_TRY(std::vector<std::string> pending,
          deliveries_.pending(static_cast<int>(options_.max_queued_deliveries)));
  const bool more_pending = pending.size() >= options_.max_queued_deliveries;
  // GitHub tokens sealed before the master key ring existed move into
  // github_tokens once it does (trigger/github_token.h).
  if (auto moved = github_tokens().reseal_all(github_); moved && moved->moved > 0)
    spdlog::info("github: {} integration token(s) re-encrypted into github_tokens", moved->moved);
  if (!pending.empty())
    spdlog::info("webhook: {} delivery(ies) still pending from before; processing them",
                 pending.size());
  if (d_.bus) {
    engine::EventFilter filter;
    filter.kinds = static_cast<uint32_t>(engine::EventKind::kExecutionState);
    subscription_ = d_.bus->subscribe(filter, 4096);
  }
  {
    std::lock_guard lock(mu_);
    running_ = true;
    stopping_ = false;
    // Deliveries received before start() were queued too; keep one entry each.
    std::deque<QueuedDelivery> all;
    for (const std::string& id : pending) all.push_back({id, nullptr});
    if (more_pending) {
      queue_overflowed_ = true;  // the rest is read back once these are done
    } else {
      for (auto& queued : queue_) {
        auto same = [&](const QueuedDelivery& q) { return q.id == queued.id; };
        if (std::find_if(all.begin(), all.end(), same) == all.end())
          all.push_back(std::move(queued));
      }
    }
    queue_ = std::move(all);
  }
  workflow_->start_worker();
  delivery_thread_ = std::thread([this] { delivery_loop(); });
  poll_thread_ = std::thread([this] { poll_loop(); });
  status_thread_ = std::thread([this] { status_loop(); });
  return {};
}

void TriggerService::stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  queue_cv_.notify_all();
  if (subscription_) subscription_->close();
  for (std::thread* t : {&delivery_thread_, &poll_thread_, &status_thread_})
    if (t->joinable()) t->join();
  workflow_->stop_worker();
  std::lock_guard lock(mu_);
  running_ = false;
}

void TriggerService::enqueue(QueuedDelivery delivery) {
  {
    std::lock_guard lock(mu_);
    if (queue_overflowed_ || queue_.size() >= options_.max_queued_deliveries) {
      queue_overflowed_ = true;  // it is stored as pending: read back later
    } else {
      queue_.push_back(std::move(delivery));
    }
    // Only the worker waits for arrivals: when idle, or for a batch to fill.
    if (!worker_idle_ && queue_.size() < options_.delivery_batch) return;
  }
  queue_cv_.notify_one();
}

// Called with the queue empty and overflowed (mu_ held, released inside).
void TriggerService::reload_pending(std::unique_lock<std::mutex>& lock) {
  // Arrivals from now on are queued again; any that the query below also
  // returns are processed once (process() skips a delivery no longer pending).
  queue_overflowed_ = false;
  lock.unlock();
  const auto limit = static_cast<int>(options_.max_queued_deliveries);
  auto pending = deliveries_.pending(limit);
  lock.lock();
  if (!pending) {
    spdlog::error("webhook: cannot read pending deliveries back: {}", pending.error().to_string());
    queue_overflowed_ = true;
    queue_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    return;
  }
  if (pending->size() >= options_.max_queued_deliveries) {
    // Still more in the database than fits: arrivals since the query are
    // newer than those, so they wait in the database too (keeps the order).
    queue_.clear();
    queue_overflowed_ = true;
  }
  std::vector<QueuedDelivery> read_back;
  read_back.reserve(pending->size());
  for (std::string& id : *pending) read_back.push_back({std::move(id), nullptr});
  queue_.insert(queue_.begin(), std::make_move_iterator(read_back.begin()),
                std::make_move_iterator(read_back.end()));
}

void TriggerService::receive_async(IncomingDelivery delivery,
                                   std::function<void(Result<ReceiveAnswer>)> done) {
  receiver_->receive_async(std::move(delivery), std::move(done));
}

Result<ProcessedDelivery> TriggerService::process(const std::string& delivery_id) {
  return processor_->process(delivery_id);
}

Result<std::pair<std::string, ProcessedDelivery>> TriggerService::replay(const std::string& id) {
  OPZ_TRY(store::DeliveryRecord original, deliveries_.find(id, true));
  if (original.project_id.empty())
    return Error::conflict("delivery " + id + " belongs to no project any more");
  if (!original.signature_valid || original.body.empty())
    return Error::conflict("delivery " + id + " has no verified payload to replay");
  store::DeliveryRecord copy;
  copy.delivery_guid = "replay-" + new_uuid();
  copy.project_id = original.project_id;
  copy.event = original.event;
  copy.action = original.action;
  copy.signature_valid = true;
  copy.headers = original.headers;
  copy.headers["X-Opzenix-Replay-Of"] = original.id;
  copy.body = std::move(original.body);
  copy.replay_of = original.id;
  OPZ_TRY(store::InsertedDelivery stored, deliveries_.insert(copy));
  OPZ_TRY(ProcessedDelivery result, processor_->process(stored.id));
  return std::make_pair(stored.id, result);
}

void TriggerService::delivery_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (queue_.empty() && queue_overflowed_) {
      reload_pending(lock);
      continue;
    }
    if (queue_.empty()) {
      worker_idle_ = true;
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty() || queue_overflowed_; });
      worker_idle_ = false;
      continue;
    }
    // Under a steady stream, let a batch gather: at most one batch per
    // delivery_batch_interval unless a full one is waiting. The first
    // delivery after a quiet spell goes at once.
    const auto due = last_batch_ + options_.delivery_batch_interval;
    if (queue_.size() < options_.delivery_batch && std::chrono::steady_clock::now() < due) {
      queue_cv_.wait_until(
          lock, due, [this] { return stopping_ || queue_.size() >= options_.delivery_batch; });
      continue;
    }
    last_batch_ = std::chrono::steady_clock::now();
    // Everything queued so far, up to a batch (see DeliveryProcessor).
    std::vector<QueuedDelivery> batch;
    std::set<std::string> seen;
    while (!queue_.empty() && batch.size() < options_.delivery_batch) {
      if (seen.insert(queue_.front().id).second) batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    auto results = processor_->process_queued(batch);
    std::vector<QueuedDelivery> retry;  // the engine or the database cannot take these now
    for (size_t i = 0; i < batch.size(); ++i) {
      const auto& result = results[i];
      if (!result) {
        spdlog::error("webhook: delivery {} could not be processed: {}", batch[i].id,
                      result.error().to_string());
        if (result.error().code == ErrorCode::kUnavailable) retry.push_back(batch[i]);
      } else if (result->outcome == "pending") {
        retry.push_back(batch[i]);
      }
    }
    lock.lock();
    if (!retry.empty() && !stopping_) {
      // Keep their order ahead of newer arrivals; wait a little.
      queue_.insert(queue_.begin(), retry.begin(), retry.end());
      queue_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
  }
}

void TriggerService::poll_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    if (!options_.poll_gate || options_.poll_gate()) poller_->poll_due();
    lock.lock();
    cv_.wait_for(lock, options_.poll_tick, [this] { return stopping_; });
  }
}

void TriggerService::status_loop() {
  auto last_send = std::chrono::steady_clock::now() - options_.status_tick;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (subscription_) {
      auto event = subscription_->next(options_.status_tick);
      if (event) {
        auto queued = reporter_->on_event(**event);
        if (!queued) spdlog::warn("commit statuses: {}", queued.error().to_string());
      }
    } else {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, options_.status_tick, [this] { return stopping_; });
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_send >= options_.status_tick) {
      reporter_->send_due();
      last_send = now;
    }
  }
}

}  // namespace opz::trigger
