#include "runner/log_text.h"

#include <cstdint>

namespace opz::runner {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the sequence a lead byte starts (0 for a byte that cannot start
// one), and the allowed range of the second byte (Unicode table 3-7).
struct LeadInfo {
  int length;
  uint8_t second_lo;
  uint8_t second_hi;
};

LeadInfo lead_info(uint8_t b) {
  if (b >= 0xC2 && b <= 0xDF) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b >= 0xE1 && b <= 0xEF) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

bool is_plain_ascii(std::string_view raw) {
  for (char c : raw) {
    const auto b = static_cast<uint8_t>(c);
    if (b == 0 || b >= 0x80) return false;
  }
  return true;
}

// Number of bytes of the well-formed prefix of the sequence starting at
// raw[i] (a lead byte with length > 1): equals info.length when complete.
int valid_prefix(std::string_view raw, size_t i, const LeadInfo& info) {
  int n = 1;
  while (n < info.length && i + n < raw.size()) {
    const auto b = static_cast<uint8_t>(raw[i + n]);
    const uint8_t lo = n == 1 ? info.second_lo : 0x80;
    const uint8_t hi = n == 1 ? info.second_hi : 0xBF;
    if (b < lo || b > hi) break;
    ++n;
  }
  return n;
}

}  // namespace

std::string to_log_text(std::string_view raw) {
  if (is_plain_ascii(raw)) return std::string(raw);
  std::string out;
  out.reserve(raw.size() + 8);
  size_t i = 0;
  while (i < raw.size()) {
    const auto b = static_cast<uint8_t>(raw[i]);
    if (b == 0) {
      ++i;
      continue;
    }
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    const LeadInfo info = lead_info(b);
    if (info.length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    const int n = valid_prefix(raw, i, info);
    if (n == info.length) {
      out.append(raw.substr(i, n));
    } else {
      out += kReplacement;
    }
    i += n;
  }
  return out;
}

size_t utf8_safe_cut(std::string_view raw) {
  // Look back at most 3 bytes for the lead byte of an unfinished sequence.
  const size_t size = raw.size();
  for (size_t back = 1; back <= 3 && back <= size; ++back) {
    const size_t i = size - back;
    const auto b = static_cast<uint8_t>(raw[i]);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte: keep looking
    const LeadInfo info = lead_info(b);
    if (info.length > static_cast<int>(back) &&
        valid_prefix(raw, i, info) == static_cast<int>(back)) {
      return i;  // a well-started sequence the next bytes may complete
    }
    return size;
  }
  return size;
}

}  // namespace opz::runner
