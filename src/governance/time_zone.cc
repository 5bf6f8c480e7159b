#include "governance/time_zone.h"

// The Debian package's libdate-tz is built with these; they must match.
#define USE_OS_TZDB 1
#define HAS_REMOTE_API 0
#define ONLY_C_LOCALE 1
#define HAS_STRING_VIEW 1
#include <date/tz.h>

#include <cstdio>
#include <exception>

namespace opz::governance {

namespace {

using namespace std::chrono;

bool zone_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '_' || c == '-' || c == '+';
}

// Digits at text[pos, pos+n) as a number, or -1.
int digits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

}  // namespace

Result<TimeZone> TimeZone::named(std::string_view name) {
  if (name.empty()) return Error::validation("timezone is empty", "timezone");
  if (name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos)
    return Error::validation("timezone '" + std::string(name) + "' is not an IANA zone name",
                             "timezone");
  for (char c : name)
    if (!zone_name_char(c))
      return Error::validation("timezone has a character not allowed in IANA zone names",
                               "timezone");
  if (name == "UTC" || name == "Etc/UTC") return TimeZone(std::string(name), nullptr);
  try {
    return TimeZone(std::string(name), date::locate_zone(name));
  } catch (const std::exception&) {
    // locate_zone reports an unknown name (and a missing database) by throwing.
    return Error::validation("unknown timezone '" + std::string(name) +
                                 "' (expected an IANA name such as Europe/Berlin)",
                             "timezone");
  }
}

TimeZone TimeZone::utc() { return TimeZone("UTC", nullptr); }

LocalSeconds TimeZone::to_local(TimePoint t) const {
  auto secs = floor<seconds>(t);
  return LocalSeconds{secs.time_since_epoch() + offset_at(t)};
}

TimePoint TimeZone::to_utc(LocalSeconds local) const {
  if (zone_ == nullptr) return TimePoint{local.time_since_epoch()};
  date::local_seconds l{local.time_since_epoch()};
  // For a gap `first` is the period before the jump; for an overlap it is the
  // earlier period: both are the documented rule.
  date::local_info info = zone_->get_info(l);
  return TimePoint{local.time_since_epoch() - info.first.offset};
}

seconds TimeZone::offset_at(TimePoint t) const {
  if (zone_ == nullptr) return seconds{0};
  return zone_->get_info(date::sys_seconds{floor<seconds>(t).time_since_epoch()}).offset;
}

Result<LocalSeconds> parse_local_datetime(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return Error::validation(std::string(field) +
                                 " must be a local time YYYY-MM-DDTHH:MM[:SS] "
                                 "without offset, got '" +
                                 std::string(text) + "'",
                             std::string(field));
  };
  if (text.size() != 16 && text.size() != 19) return bad();
  int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  int h = digits(text, 11, 2), mi = digits(text, 14, 2);
  int s = text.size() == 19 ? digits(text, 17, 2) : 0;
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' ||
      (text.size() == 19 && text[16] != ':'))
    return bad();
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return bad();
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad();
  return LocalSeconds{(local_days{ymd} + hours{h} + minutes{mi} + seconds{s}).time_since_epoch()};
}

std::string format_local_datetime(LocalSeconds t) {
  local_days day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<seconds> tod{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()));
  return buf;
}

}  // namespace opz::governance
