// SqlValue's lenient conversions and Row's lookup by column name (sql.h).
#include "store/sql.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace opz::store {

namespace {

// SQLite's CAST(text AS INTEGER): optional blanks and sign, then the longest
// run of digits; nothing numeric gives 0; out of range saturates.
int64_t text_to_int(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  size_t end = i;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  if (end == i) return 0;
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(s.data() + i, s.data() + end, magnitude);
  (void)ptr;
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (ec == std::errc::result_out_of_range || magnitude > kMaxPositive + (negative ? 1 : 0)) {
    return negative ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  }
  if (negative)
    return magnitude == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                         : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

// SQLite's CAST(text AS REAL): the longest numeric prefix, else 0.0.
double text_to_real(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  if (i < s.size() && s[i] == '+') ++i;
  double v = 0.0;
  auto [ptr, ec] = std::from_chars(s.data() + i, s.data() + s.size(), v);
  (void)ptr;
  if (ec == std::errc::invalid_argument) return 0.0;
  return v;  // out of range: from_chars leaves v unchanged (0.0) for underflow/overflow
}

// Real to integer the way CAST(real AS INTEGER) does: truncation, saturating.
int64_t real_to_int(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

// Shortest text that round-trips; integral values keep a ".0" like SQLite's.
std::string real_to_text(double d) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
  if (ec != std::errc()) return "0.0";
  std::string out(buf, ptr);
  if (out.find_first_of(".eni") == std::string::npos) out += ".0";
  return out;
}

}  // namespace

int64_t SqlValue::as_int() const {
  if (const auto* i = std::get_if<int64_t>(&v_)) return *i;
  if (const auto* d = std::get_if<double>(&v_)) return real_to_int(*d);
  if (const auto* s = std::get_if<std::string>(&v_)) return text_to_int(*s);
  return 0;
}

double SqlValue::as_real() const {
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v_)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v_)) return text_to_real(*s);
  return 0.0;
}

std::string SqlValue::as_text() const {
  if (const auto* s = std::get_if<std::string>(&v_)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v_)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v_)) return real_to_text(*d);
  return {};
}

const SqlValue& Row::operator[](std::string_view name) const {
  for (size_t i = 0; i < names_->size() && i < values_.size(); ++i) {
    if ((*names_)[i] == name) return values_[i];
  }
  // A misspelt column in a repository is a programming error: fail loudly.
  std::string known;
  for (const std::string& n : *names_) known += (known.empty() ? "" : ", ") + n;
  std::fprintf(stderr, "opz::store::Row: no column '%.*s' (columns: %s)\n",
               static_cast<int>(name.size()), name.data(), known.c_str());
  std::abort();
}

}  // namespace opz::store
