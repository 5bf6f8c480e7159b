#include "realtime/sse_frame.h"

#include <charconv>

namespace opz::realtime {

void append_optional(std::string& out, const std::optional<std::string>& s) {
  if (s) {
    append_json_string(out, *s);
  } else {
    out += "null";
  }
}

// JSON text from SQLite has no raw line breaks (they are escaped inside
// strings); outside strings they are only whitespace. Replacing any that
// slipped in keeps `data:` on one line without changing the document.
void append_one_line(std::string& out, std::string_view json) {
  const size_t from = out.size();
  out += json;
  for (size_t i = from; i < out.size(); ++i) {
    if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
  }
}

std::string_view to_string(ResetReason reason) {
  switch (reason) {
    case ResetReason::kTooFarBehind:
      return "too_far_behind";
    case ResetReason::kSlowClient:
      return "slow_client";
    case ResetReason::kFutureId:
      return "future_id";
  }
  return "too_far_behind";
}

std::string event_data(const store::EventLogRecord& r) {
  std::string out;
  out.reserve(128 + r.record_json.size() + r.old_json.size());
  out += "{\"id\":";
  out += std::to_string(r.id);
  out += ",\"topic\":";
  append_json_string(out, r.topic);
  out += ",\"table\":";
  append_json_string(out, r.table_name);
  out += ",\"type\":";
  append_json_string(out, r.type);
  out += ",\"execution_id\":";
  append_optional(out, r.execution_id);
  out += ",\"project_id\":";
  append_optional(out, r.project_id);
  out += ",\"record\":";
  append_one_line(out, r.record_json);
  out += ",\"old\":";
  append_one_line(out, r.old_json);
  out += ",\"at\":";
  append_json_string(out, r.created_at);
  out += '}';
  return out;
}

std::string event_frame(const store::EventLogRecord& r) {
  std::string out = "id: " + std::to_string(r.id) + "\nevent: ";
  append_one_line(out, r.topic);
  out += "\ndata: ";
  out += event_data(r);
  out += "\n\n";
  return out;
}

std::string reset_frame(ResetReason reason, int64_t last_id) {
  const std::string id = std::to_string(last_id);
  return "id: " + id + "\nevent: reset\ndata: {\"reason\":\"" + std::string(to_string(reason)) +
         "\",\"last_id\":" + id + "}\n\n";
}

std::optional<int64_t> parse_event_id(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace opz::realtime
