#include "engine/run_report.h"

#include <cstdio>

namespace opz::engine {

std::string_view status_word(std::string_view new_state, std::string_view old_state) {
  if (new_state == "success") return "ok";
  if (new_state == "failed") return "FAIL";
  if (new_state == "skipped") return "skip";
  if (new_state == "cancelled") return "cancel";
  if (new_state == "waiting") return "wait";
  if (new_state == "pending" && old_state == "running") return "retry";
  return new_state;
}

std::string short_duration(std::chrono::milliseconds d) {
  char buf[32];
  const long long ms = d.count() < 0 ? 0 : d.count();
  if (ms < 60'000) {
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
  } else if (ms < 3'600'000) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", ms / 60'000, (ms / 1000) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", ms / 3'600'000, (ms / 60'000) % 60);
  }
  return buf;
}

std::string progress_line(size_t done, size_t total, std::string_view word,
                          std::string_view node_id, std::optional<int64_t> duration_ms,
                          std::string_view detail) {
  const std::string total_text = std::to_string(total);
  std::string done_text = std::to_string(done);
  if (done_text.size() < total_text.size())
    done_text.insert(0, total_text.size() - done_text.size(), ' ');
  std::string out = "[" + done_text + "/" + total_text + "] " + std::string(word);
  out.append(word.size() < 6 ? 6 - word.size() : 1, ' ');
  out += std::string(node_id);
  if (duration_ms) out += " (" + short_duration(std::chrono::milliseconds(*duration_ms)) + ")";
  if (!detail.empty()) out += " - " + std::string(detail);
  return out;
}

}  // namespace opz::engine
