#include "telemetry/log_signature.h"

#include <algorithm>
#include <array>

namespace opz::telemetry {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

bool looks_like_error(std::string_view line) {
  static constexpr std::array<std::string_view, 13> kWords = {
      "error", "fail",   "fatal",     "exception", "panic",     "refused",  "denied",
      "timeout", "timed out", "cannot", "unable",  "not found", "traceback"};
  std::string lower(line);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

// A scanner over one line: each match_* answers how many bytes at `i` form
// the construct (0: none). `i` is always < s.size().
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool word_start(size_t i) const { return i == 0 || !is_alnum(s_[i - 1]); }
  bool word_end(size_t end) const { return end >= s_.size() || !is_alnum(s_[end]); }
  size_t count(size_t i, bool (*pred)(char)) const {
    size_t k = i;
    while (k < s_.size() && pred(s_[k])) ++k;
    return k - i;
  }
  bool at(size_t i, char c) const { return i < s_.size() && s_[i] == c; }

  size_t uuid(size_t i) const {
    static constexpr std::array<size_t, 5> kGroups = {8, 4, 4, 4, 12};
    if (!word_start(i)) return 0;
    size_t k = i;
    for (size_t g = 0; g < kGroups.size(); ++g) {
      if (g > 0 && !at(k++, '-')) return 0;
      if (count(k, is_hex) < kGroups[g]) return 0;
      k += kGroups[g];
    }
    return word_end(k) ? k - i : 0;
  }

  // dddd-dd-dd, optionally [T ]dd:dd[:dd[.d+]], then Z or ±dd[:]dd.
  size_t timestamp(size_t i) const {
    if (!word_start(i) || count(i, is_digit) != 4 || !at(i + 4, '-') ||
        count(i + 5, is_digit) != 2 || !at(i + 7, '-') || count(i + 8, is_digit) != 2)
      return 0;
    size_t k = i + 10;
    if ((at(k, 'T') || at(k, ' ')) && count(k + 1, is_digit) == 2 && at(k + 3, ':') &&
        count(k + 4, is_digit) == 2) {
      k += 6;
      if (at(k, ':') && count(k + 1, is_digit) == 2) {
        k += 3;
        if (at(k, '.') && count(k + 1, is_digit) > 0) k += 1 + count(k + 1, is_digit);
      }
      if (at(k, 'Z')) {
        ++k;
      } else if ((at(k, '+') || at(k, '-')) && count(k + 1, is_digit) >= 2) {
        k += 3;
        if (at(k, ':')) ++k;
        if (count(k, is_digit) == 2) k += 2;
      }
    }
    return k - i;
  }

  size_t ipv4(size_t i) const {
    if (i > 0 && (is_alnum(s_[i - 1]) || s_[i - 1] == '.')) return 0;
    size_t k = i;
    for (int part = 0; part < 4; ++part) {
      if (part > 0 && !at(k++, '.')) return 0;
      const size_t d = count(k, is_digit);
      if (d == 0 || d > 3) return 0;
      k += d;
    }
    return word_end(k) ? k - i : 0;
  }

  size_t hex(size_t i) const {
    if (!word_start(i)) return 0;
    if (at(i, '0') && (at(i + 1, 'x') || at(i + 1, 'X'))) {
      const size_t d = count(i + 2, is_hex);
      return d > 0 && word_end(i + 2 + d) ? 2 + d : 0;
    }
    const size_t d = count(i, is_hex);
    if (d < 8 || !word_end(i + d)) return 0;
    const std::string_view run = s_.substr(i, d);
    const bool digits = std::any_of(run.begin(), run.end(), is_digit);
    const bool letters = std::any_of(run.begin(), run.end(), [](char c) { return !is_digit(c); });
    return digits && letters ? d : 0;
  }

  size_t path(size_t i) const {
    static constexpr std::string_view kBefore = " \t\"'=([,";
    if (i > 0 && kBefore.find(s_[i - 1]) == std::string_view::npos) return 0;
    size_t k = i;
    if (at(k, '/')) k += 1;
    else if (at(k, '.') && at(k + 1, '/')) k += 2;
    else if (at(k, '.') && at(k + 1, '.') && at(k + 2, '/')) k += 3;
    else if (at(k, '~') && at(k + 1, '/')) k += 2;
    else return 0;
    static constexpr std::string_view kEnd = " \t\"'),];:";
    const size_t start = k;
    while (k < s_.size() && kEnd.find(s_[k]) == std::string_view::npos) ++k;
    return k > start ? k - i : 0;
  }

  size_t number(size_t i) const {
    size_t d = count(i, is_digit);
    if (d == 0) return 0;
    if (at(i + d, '.') && count(i + d + 1, is_digit) > 0) d += 1 + count(i + d + 1, is_digit);
    return d;
  }

 private:
  std::string_view s_;
};

void cut_to_limit(std::string& s) {
  if (s.size() <= kMaxSignatureBytes) return;
  size_t cut = kMaxSignatureBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  while (!s.empty() && s.back() == ' ') s.pop_back();
}

}  // namespace

std::string last_error_line(std::string_view log_tail) {
  std::string_view last_nonblank;
  size_t end = log_tail.size();
  while (true) {
    const size_t nl = end == 0 ? std::string_view::npos : log_tail.rfind('\n', end - 1);
    const size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
    const std::string_view line = trim(log_tail.substr(begin, end - begin));
    if (!line.empty()) {
      if (looks_like_error(line)) return std::string(line);
      if (last_nonblank.empty()) last_nonblank = line;
    }
    if (nl == std::string_view::npos) break;
    end = nl;
  }
  return std::string(last_nonblank);
}

std::string normalise_log_line(std::string_view line) {
  const Scanner scan(line);
  std::string out;
  out.reserve(std::min(line.size(), kMaxSignatureBytes + 16));
  size_t i = 0;
  while (i < line.size() && out.size() <= kMaxSignatureBytes) {
    const char c = line[i];
    if (is_blank(c) || c == '\n') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      ++i;
      continue;
    }
    struct Rule {
      size_t (Scanner::*match)(size_t) const;
      std::string_view placeholder;
    };
    static constexpr std::array<Rule, 6> kRules = {{{&Scanner::uuid, "<uuid>"},
                                                    {&Scanner::timestamp, "<ts>"},
                                                    {&Scanner::ipv4, "<ip>"},
                                                    {&Scanner::hex, "<hex>"},
                                                    {&Scanner::path, "<path>"},
                                                    {&Scanner::number, "<n>"}}};
    size_t taken = 0;
    for (const Rule& rule : kRules) {
      if ((taken = (scan.*rule.match)(i)) > 0) {
        out += rule.placeholder;
        break;
      }
    }
    if (taken == 0) {
      out.push_back(c);
      taken = 1;
    }
    i += taken;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  cut_to_limit(out);
  return out;
}

std::string log_signature(std::string_view log_tail, std::string_view fallback) {
  std::string line = last_error_line(log_tail);
  return normalise_log_line(line.empty() ? trim(fallback) : std::string_view(line));
}

}  // namespace opz::telemetry
