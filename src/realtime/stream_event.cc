#include "realtime/stream_event.h"

#include "realtime/sse_frame.h"

namespace opz::realtime {

std::optional<StreamEvent> stream_event_of(const store::EventLogRecord& record) {
  auto topic = parse_topic(record.topic);
  if (!topic) return std::nullopt;
  StreamEvent e;
  e.id = record.id;
  e.topic = *topic;
  e.execution_id = record.execution_id;
  e.project_id = record.project_id;
  e.user_id = record.user_id;
  e.frame = event_frame(record);
  return e;
}

}  // namespace opz::realtime
