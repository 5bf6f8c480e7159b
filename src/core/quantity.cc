#include "core/quantity.h"

#include <cctype>
#include <limits>

namespace opz {

Result<std::chrono::milliseconds> parse_duration(std::string_view s) {
  auto bad = [&] {
    return Error::validation("invalid duration '" + std::string(s.substr(0, 40)) +
                             "': use a number with ms, s, m, h or d (e.g. 2s, 5m, 1h30m)");
  };
  if (s.empty()) return bad();
  int64_t total_ms = 0;
  size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return bad();
    int64_t n = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (n > 1'000'000'000) return bad();
      n = n * 10 + (s[i] - '0');
      ++i;
    }
    std::string_view unit;
    size_t u = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    unit = s.substr(u, i - u);
    int64_t mult;
    if (unit.empty()) {
      if (any || i != s.size()) return bad();
      mult = 1000;
    } else if (unit == "ms") {
      mult = 1;
    } else if (unit == "s") {
      mult = 1000;
    } else if (unit == "m") {
      mult = 60'000;
    } else if (unit == "h") {
      mult = 3'600'000;
    } else if (unit == "d") {
      mult = 86'400'000;
    } else {
      return bad();
    }
    total_ms += n * mult;
    any = true;
  }
  return std::chrono::milliseconds{total_ms};
}

Result<uint64_t> parse_size(std::string_view s) {
  auto bad = [&] {
    return Error::validation("invalid size '" + std::string(s.substr(0, 40)) +
                             "': use a number with B, KiB, MiB, GiB, KB, MB or GB");
  };
  size_t i = 0;
  uint64_t n = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    if (n > (std::numeric_limits<uint64_t>::max() / 10 - 10)) return bad();
    n = n * 10 + static_cast<uint64_t>(s[i] - '0');
    ++i;
  }
  if (i == 0) return bad();
  std::string unit;
  for (; i < s.size(); ++i) unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  uint64_t mult;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "k" || unit == "kib") mult = 1024;
  else if (unit == "m" || unit == "mib") mult = 1024ull * 1024;
  else if (unit == "g" || unit == "gib") mult = 1024ull * 1024 * 1024;
  else if (unit == "kb") mult = 1000;
  else if (unit == "mb") mult = 1000ull * 1000;
  else if (unit == "gb") mult = 1000ull * 1000 * 1000;
  else return bad();
  if (n > std::numeric_limits<uint64_t>::max() / mult) return bad();
  return n * mult;
}

std::string format_duration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string out;
  int64_t s = ms / 1000;
  if (s >= 3600) { out += std::to_string(s / 3600) + "h"; s %= 3600; }
  if (s >= 60) { out += std::to_string(s / 60) + "m"; s %= 60; }
  if (s > 0 || out.empty()) {
    if (out.empty() && ms % 1000) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
      return buf;
    }
    out += std::to_string(s) + "s";
  }
  return out;
}

}  // namespace opz
