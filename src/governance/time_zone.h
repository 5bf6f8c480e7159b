// TimeZone: a named IANA time zone ("Europe/Berlin") from the system's tz
// database (/usr/share/zoneinfo, read through Howard Hinnant's date/tz
// library with USE_OS_TZDB; g++ 12 has no std::chrono::zoned_time). Reading
// those files is the one I/O this module does: it is the system's library
// data, loaded once per process on first use and kept behind this class.
//
// Conversions:
//   to_local(utc)  the wall-clock time in the zone at that instant.
//   to_utc(local)  the instant a wall-clock time names. The rule for times
//     that do not name exactly one instant is RFC 5545's (and JavaScript
//     Temporal's "compatible"): a local time skipped by a forward DST jump
//     (a gap) is read with the offset from BEFORE the jump, so it lands as
//     far after the jump as it was after the gap's start (Berlin 02:30 on
//     the spring-forward day -> 03:30 CEST = 01:30 UTC); a local time that
//     occurs twice (an overlap) means the EARLIER instant (Berlin 02:30 on
//     the fall-back day -> 02:30 CEST = 00:30 UTC).
//
// A TimeZone is a small immutable handle to process-lifetime data; copy it
// freely and use it from any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace date {
class time_zone;
}

namespace opz::governance {

using LocalSeconds = std::chrono::local_seconds;

class TimeZone {
 public:
  // kValidation naming field "timezone" for an empty, malformed or unknown
  // name, or when the system has no tz database.
  static Result<TimeZone> named(std::string_view name);
  static TimeZone utc();

  const std::string& name() const { return name_; }
  LocalSeconds to_local(TimePoint t) const;
  TimePoint to_utc(LocalSeconds local) const;
  // The zone's UTC offset at instant `t` (e.g. +3600 s for CET).
  std::chrono::seconds offset_at(TimePoint t) const;

 private:
  TimeZone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  const date::time_zone* zone_ = nullptr;  // nullptr: UTC
};

// "YYYY-MM-DDTHH:MM[:SS]" (no offset: a wall-clock time), or kValidation
// naming `field`.
Result<LocalSeconds> parse_local_datetime(std::string_view text, std::string_view field);
// "YYYY-MM-DDTHH:MM:SS".
std::string format_local_datetime(LocalSeconds t);

}  // namespace opz::governance
