// CronExpression: a five-field cron schedule ("minute hour day-of-month month
// day-of-week") evaluated over civil (local, zone-less) time, for recurring
// freeze windows. The caller converts to and from UTC with a TimeZone.
//
// Syntax per field: '*', numbers, lists "1,15", ranges "1-5", steps "*/15",
// "10-50/20" and "5/10" (= 5-max/10); months JAN..DEC and days SUN..SAT by
// name (any case); day-of-week 0-7 with 0 and 7 both Sunday. Macros @yearly
// (@annually), @monthly, @weekly, @daily (@midnight) and @hourly.
// Vixie cron's day rule: when both day-of-month and day-of-week are
// restricted (neither field starts with '*'), a day matches if EITHER
// matches; otherwise both must ("0 0 13 * FRI" runs on every 13th and every
// Friday, "0 0 */2 * FRI" only on odd-numbered Fridays).
//
// parse() fails with kValidation whose field names the cron field
// ("cron.minute", "cron.hour", "cron.day_of_month", "cron.month",
// "cron.day_of_week", or "cron" for the whole text), including for schedules
// that can never match ("0 0 30 FEB *"). Immutable after parse; safe to share
// between threads.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::governance {

using LocalMinutes = std::chrono::local_time<std::chrono::minutes>;

class CronExpression {
 public:
  static Result<CronExpression> parse(std::string_view text);

  // The first matching minute at or after `from`; nullopt when none within
  // eight years (only for schedules parse() would refuse).
  std::optional<LocalMinutes> next_match(LocalMinutes from) const;
  // The last matching minute at or before `at`; nullopt when none within
  // eight years before it.
  std::optional<LocalMinutes> last_match(LocalMinutes at) const;
  bool matches(LocalMinutes t) const;

  const std::string& text() const { return text_; }

 private:
  CronExpression() = default;
  bool day_matches(std::chrono::local_days day) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // 1..31
  std::bitset<13> months_;         // 1..12
  std::bitset<7> days_of_week_;    // 0 = Sunday
  bool dom_star_ = false;
  bool dow_star_ = false;
};

}  // namespace opz::governance
