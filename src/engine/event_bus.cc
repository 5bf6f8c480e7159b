#include "engine/event_bus.h"

#include <algorithm>

namespace opz::engine {

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::kExecutionState:
      return "execution_state";
    case EventKind::kNodeState:
      return "node_state";
    case EventKind::kLogs:
      return "logs";
    case EventKind::kCheckpoint:
      return "checkpoint";
    case EventKind::kArtifact:
      return "artifact";
    case EventKind::kApproval:
      return "approval";
    case EventKind::kStuck:
      return "stuck";
  }
  return "unknown";
}

bool EventFilter::matches(const EngineEvent& event) const {
  if (!wants(event.kind)) return false;
  return execution_id.empty() || execution_id == event.execution_id;
}

std::optional<std::shared_ptr<const EngineEvent>> EventSubscription::next(
    std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return !queue_.empty() || closed_; });
  if (queue_.empty()) return std::nullopt;
  auto event = std::move(queue_.front());
  queue_.pop_front();
  return event;
}

std::vector<std::shared_ptr<const EngineEvent>> EventSubscription::drain() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const EngineEvent>> out(std::make_move_iterator(queue_.begin()),
                                                      std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

uint64_t EventSubscription::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void EventSubscription::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool EventSubscription::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

bool EventSubscription::offer(const std::shared_ptr<const EngineEvent>& event) {
  bool was_empty = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (queue_.size() >= capacity_) {
      ++dropped_;
      return false;
    }
    was_empty = queue_.empty();
    queue_.push_back(event);
  }
  cv_.notify_one();
  return was_empty;
}

std::shared_ptr<EventSubscription> EventBus::subscribe(EventFilter filter, size_t capacity,
                                                       std::function<void()> on_ready) {
  auto sub = std::make_shared<EventSubscription>(std::move(filter), std::max<size_t>(capacity, 1),
                                                 std::move(on_ready));
  std::lock_guard lock(mu_);
  subscribers_.push_back(sub);
  return sub;
}

uint64_t EventBus::publish(EngineEvent event) {
  std::vector<std::shared_ptr<EventSubscription>> to_notify;
  uint64_t seq = 0;
  {
    // Delivery under the bus lock keeps every queue in seq order even with
    // several publishers; offer() only takes the subscription's short lock.
    std::lock_guard lock(mu_);
    event.seq = seq = ++seq_;
    auto shared = std::make_shared<const EngineEvent>(std::move(event));
    std::erase_if(subscribers_, [](const auto& s) { return s->closed(); });
    for (const auto& s : subscribers_) {
      if (s->filter().matches(*shared) && s->offer(shared) && s->on_ready_) to_notify.push_back(s);
    }
  }
  for (const auto& s : to_notify) s->on_ready_();
  return seq;
}

bool EventBus::wanted(EventKind kind) const {
  std::lock_guard lock(mu_);
  return std::any_of(subscribers_.begin(), subscribers_.end(),
                     [&](const auto& s) { return s->filter().wants(kind) && !s->closed(); });
}

uint64_t EventBus::last_seq() const {
  std::lock_guard lock(mu_);
  return seq_;
}

}  // namespace opz::engine
