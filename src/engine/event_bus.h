// EventBus: in-process fan-out of what the engine has durably recorded.
//
// The engine publishes an EngineEvent only AFTER the transaction that recorded
// it committed, so a subscriber never sees a state the database does not have.
// Consumers: the realtime event stream (HTTP), `opzenix run`'s progress
// display, tests.
//
// Each subscriber has a filter and its own bounded queue. publish() never
// blocks on a subscriber: when a queue is full the event is dropped for that
// subscriber only and counted (dropped()); every event carries the bus-wide
// `seq`, so a consumer that sees a gap (or dropped() > 0) re-reads the state
// from the database. Events are shared immutably between subscribers.
//
// Thread-safety: every method of EventBus and EventSubscription may be called
// from any thread. A subscription's `on_ready` callback runs on the publishing
// thread, outside the bus's locks; it must be quick (e.g. post to an executor).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"

namespace opz::engine {

enum class EventKind : uint32_t {
  kExecutionState = 1u << 0,  // old_state/new_state of the execution; data: progress, ...
  kNodeState = 1u << 1,       // old_state/new_state of one node; data: attempt, exit_code, ...
  kLogs = 1u << 2,            // data: {"lines":[{seq, attempt, stream, level, message, at}]}
  kCheckpoint = 1u << 3,      // data: {checkpoint_id, name}
  kArtifact = 1u << 4,        // data: {artifact_id, name, image_tag, ...}
  kApproval = 1u << 5,        // data: {approval_request_id, required_approvals}
  kStuck = 1u << 6,           // an execution running longer than stuck_after (once each)
};
inline constexpr uint32_t kAllEventKinds = 0x7f;

std::string_view to_string(EventKind kind);  // "execution_state", "node_state", "logs", ...

struct EngineEvent {
  uint64_t seq = 0;  // assigned by publish(): 1, 2, 3, ... per bus
  EventKind kind = EventKind::kExecutionState;
  std::string execution_id;
  std::string node_id;  // empty for execution-level events
  std::string old_state;
  std::string new_state;
  std::string reason;
  TimePoint at;
  Json data;  // kind-specific details, an object (may be null)
};

struct EventFilter {
  std::string execution_id;         // empty: every execution
  uint32_t kinds = kAllEventKinds;  // bit set of EventKind
  bool matches(const EngineEvent& event) const;
  bool wants(EventKind kind) const { return (kinds & static_cast<uint32_t>(kind)) != 0; }
};

class EventBus;

class EventSubscription {
 public:
  EventSubscription(EventFilter filter, size_t capacity, std::function<void()> on_ready)
      : filter_(std::move(filter)), capacity_(capacity), on_ready_(std::move(on_ready)) {}

  // The next event, waiting at most `timeout`; nullopt on timeout or once closed
  // and drained.
  std::optional<std::shared_ptr<const EngineEvent>> next(std::chrono::milliseconds timeout);
  // Every queued event, without waiting.
  std::vector<std::shared_ptr<const EngineEvent>> drain();
  // Events this subscriber lost because its queue was full.
  uint64_t dropped() const;
  // Stops delivery (the bus forgets it on the next publish) and wakes next().
  void close();
  bool closed() const;
  const EventFilter& filter() const { return filter_; }

 private:
  friend class EventBus;
  // Queues the event (or counts a drop); answers true when the queue was empty.
  bool offer(const std::shared_ptr<const EngineEvent>& event);

  const EventFilter filter_;
  const size_t capacity_;
  const std::function<void()> on_ready_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<const EngineEvent>> queue_;
  uint64_t dropped_ = 0;
  bool closed_ = false;
};

class EventBus {
 public:
  // `capacity`: the subscriber's queue bound (>= 1). `on_ready` (optional) is
  // called when an event lands in an empty queue.
  std::shared_ptr<EventSubscription> subscribe(EventFilter filter, size_t capacity = 4096,
                                               std::function<void()> on_ready = {});
  // Assigns seq and delivers to every matching open subscription. Answers the seq.
  uint64_t publish(EngineEvent event);
  // True when some open subscription wants events of `kind` (lets the engine
  // skip building log events nobody reads).
  bool wanted(EventKind kind) const;
  uint64_t last_seq() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<EventSubscription>> subscribers_;
  uint64_t seq_ = 0;
};

}  // namespace opz::engine
