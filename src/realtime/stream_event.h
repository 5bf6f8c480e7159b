// StreamEvent: one event of the log, typed for filtering and with its SSE
// frame serialised once (sse_frame.h), shared immutably by every subscriber
// it goes to (a 1,000-client fan-out queues the same bytes by reference:
// live_batch.h, http::SharedBytes; it never copies or re-serialises them).
// Pure; no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "realtime/topic.h"
#include "store/event_log_store.h"

namespace opz::realtime {

struct StreamEvent {
  int64_t id = 0;
  Topic topic = Topic::kExecutions;
  std::optional<std::string> execution_id;
  std::optional<std::string> project_id;
  std::optional<std::string> user_id;  // audit: the actor; notifications: the target
  std::string frame;                   // "id: ..\nevent: ..\ndata: ..\n\n"
};
using StreamEventPtr = std::shared_ptr<const StreamEvent>;

// nullopt when the record names no known topic (a newer server's row):
// such events are skipped, never sent.
std::optional<StreamEvent> stream_event_of(const store::EventLogRecord& record);

}  // namespace opz::realtime
