#include "core/time_format.h"

#include <cstdio>
#include <ctime>

namespace opz {

std::string format_time(TimePoint t) {
  using namespace std::chrono;
  const auto ms_total = duration_cast<milliseconds>(t.time_since_epoch()).count();
  int64_t secs = ms_total / 1000;
  int64_t ms = ms_total % 1000;
  if (ms < 0) { ms += 1000; secs -= 1; }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

namespace {
bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}
}  // namespace

Result<TimePoint> parse_time(std::string_view s) {
  auto bad = [&] {
    return Error::validation("expected an ISO-8601 UTC time like 2024-01-15T10:30:00Z, got '" +
                             std::string(s.substr(0, 64)) + "'");
  };
  std::tm tm{};
  int y, mo, d;
  if (!digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, &mo) ||
      s[7] != '-' || !digits(s, 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return bad();
  // Time points count nanoseconds in 64 bits: years past 2262 (or before
  // 1678) would wrap silently and compare as some other time.
  if (y < 1678 || y > 2261)
    return Error::validation("time out of range: the year must be between 1678 and 2261, got '" +
                             std::string(s.substr(0, 64)) + "'");
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  int64_t frac_ms = 0;
  int offset_min = 0;
  if (s.size() > 10) {
    int h, mi, se;
    if ((s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, &h) || s.size() < 19 ||
        s[13] != ':' || !digits(s, 14, 2, &mi) || s[16] != ':' || !digits(s, 17, 2, &se) ||
        h > 23 || mi > 59 || se > 60)
      return bad();
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    size_t p = 19;
    if (p < s.size() && s[p] == '.') {
      ++p;
      int64_t scale = 100;
      size_t start = p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        frac_ms += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
      }
      if (p == start) return bad();
    }
    if (p >= s.size()) return bad();
    if (s[p] == 'Z' || s[p] == 'z') {
      if (p + 1 != s.size()) return bad();
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om;
      if (!digits(s, p + 1, 2, &oh) || s.size() != p + 6 || s[p + 3] != ':' ||
          !digits(s, p + 4, 2, &om))
        return bad();
      offset_min = (oh * 60 + om) * (s[p] == '-' ? -1 : 1);
    } else {
      return bad();
    }
  }
  const int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_min * 60;
  return TimePoint{std::chrono::milliseconds{secs * 1000 + frac_ms}};
}

int64_t to_unix_millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_millis(int64_t ms) { return TimePoint{std::chrono::milliseconds{ms}}; }

}  // namespace opz
