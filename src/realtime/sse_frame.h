// The event stream's wire format (server-sent events; a contract the web UI
// and the acceptance checks rely on; docs/realtime.md):
//
//   response headers  Content-Type: text/event-stream, Cache-Control: no-store,
//                     X-Accel-Buffering: no
//   first bytes       "retry: 2000\n\n"
//   each event        "id: 42\nevent: nodes\ndata: {...}\n\n", data on ONE line:
//     {"id":42,"topic":"nodes","table":"execution_nodes","type":"UPDATE",
//      "execution_id":"…"|null,"project_id":"…"|null,"record":{…}|null,
//      "old":{"status":"running"}|null,"at":"2026-12-05T10:00:00.000Z"}
//   reset             "id: <last id>\nevent: reset\ndata: {"reason":"too_far_behind",
//                     "last_id":N}\n\n"  (reason: too_far_behind | slow_client |
//                     future_id); the client refetches its state, and resumes
//                     after N when it reconnects
//   heartbeat         ": heartbeat\n\n" (a comment: clients ignore it; proxies
//                     and dead peers notice the connection)
// Pure; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_text.h"
#include "store/event_log_store.h"

namespace opz::realtime {

inline constexpr std::string_view kStreamPreamble = "retry: 2000\n\n";
inline constexpr std::string_view kHeartbeatFrame = ": heartbeat\n\n";

enum class ResetReason { kTooFarBehind, kSlowClient, kFutureId };
// "too_far_behind" | "slow_client" | "future_id" (also the metric's label).
std::string_view to_string(ResetReason reason);

// The event's data document (one line of JSON, no trailing newline).
std::string event_data(const store::EventLogRecord& record);
// The whole frame: id, event (the topic) and data lines, then a blank line.
std::string event_frame(const store::EventLogRecord& record);
std::string reset_frame(ResetReason reason, int64_t last_id);

// Pieces of a data line, shared with batch_frame.cc (a JSON string is
// core/json_text.h's append_json_string): a JSON string or null; stored JSON
// text kept on one line (a line break outside a string is whitespace, and
// inside one it is escaped).
void append_optional(std::string& out, const std::optional<std::string>& s);
void append_one_line(std::string& out, std::string_view json);

// A Last-Event-ID value: a decimal id >= 0 (blanks around it allowed);
// nullopt for anything else.
std::optional<int64_t> parse_event_id(std::string_view text);

}  // namespace opz::realtime
