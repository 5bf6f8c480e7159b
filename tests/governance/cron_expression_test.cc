#include "governance/cron_expression.h"

#include <gtest/gtest.h>

namespace opz::governance {
namespace {

using namespace std::chrono;

LocalMinutes at(int y, unsigned mo, unsigned d, int h, int mi) {
  return LocalMinutes{
      (local_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi}).time_since_epoch()};
}

CronExpression cron(std::string_view text) {
  auto c = CronExpression::parse(text);
  EXPECT_TRUE(c.ok()) << text << ": " << (c.ok() ? "" : c.error().message);
  return *c;
}

std::string error_field(std::string_view text) {
  auto c = CronExpression::parse(text);
  EXPECT_FALSE(c.ok()) << text;
  if (c.ok()) return "";
  EXPECT_EQ(c.error().code, ErrorCode::kValidation);
  return c.error().field;
}

TEST(CronExpression, NextMatchIsAtOrAfter) {
  auto c = cron("30 2 * * *");
  EXPECT_EQ(*c.next_match(at(2026, 3, 1, 2, 30)), at(2026, 3, 1, 2, 30));
  EXPECT_EQ(*c.next_match(at(2026, 3, 1, 2, 31)), at(2026, 3, 2, 2, 30));
  EXPECT_EQ(*c.next_match(at(2026, 12, 31, 23, 59)), at(2027, 1, 1, 2, 30));
  EXPECT_EQ(*c.last_match(at(2026, 3, 1, 2, 29)), at(2026, 2, 28, 2, 30));
  EXPECT_EQ(*c.last_match(at(2026, 3, 1, 2, 30)), at(2026, 3, 1, 2, 30));
}

TEST(CronExpression, ListsRangesStepsAndNames) {
  auto c = cron("*/15 9-17 * JAN-mar mon-FRI");
  EXPECT_TRUE(c.matches(at(2026, 1, 5, 9, 45)));  // Monday
  EXPECT_FALSE(c.matches(at(2026, 1, 5, 9, 50)));
  EXPECT_FALSE(c.matches(at(2026, 1, 4, 9, 45)));                           // Sunday
  EXPECT_FALSE(c.matches(at(2026, 4, 6, 9, 45)));                           // April
  EXPECT_EQ(*c.next_match(at(2026, 1, 3, 0, 0)), at(2026, 1, 5, 9, 0));     // Sat -> Mon
  EXPECT_EQ(*c.next_match(at(2026, 3, 31, 17, 46)), at(2027, 1, 1, 9, 0));  // Fri Jan 1
  auto list = cron("5,10/20 0 1 * *");                                      // 5, 10, 30, 50
  EXPECT_TRUE(list.matches(at(2026, 5, 1, 0, 5)));
  EXPECT_TRUE(list.matches(at(2026, 5, 1, 0, 30)));
  EXPECT_TRUE(list.matches(at(2026, 5, 1, 0, 50)));
  EXPECT_FALSE(list.matches(at(2026, 5, 1, 0, 20)));
}

TEST(CronExpression, SundayIsZeroOrSeven) {
  EXPECT_TRUE(cron("0 0 * * 7").matches(at(2026, 1, 4, 0, 0)));
  EXPECT_TRUE(cron("0 0 * * 0").matches(at(2026, 1, 4, 0, 0)));
  EXPECT_TRUE(cron("0 0 * * 5-7").matches(at(2026, 1, 4, 0, 0)));
  EXPECT_TRUE(cron("@weekly").matches(at(2026, 1, 4, 0, 0)));
  EXPECT_EQ(*cron("@hourly").next_match(at(2026, 1, 4, 0, 1)), at(2026, 1, 4, 1, 0));
}

TEST(CronExpression, VixieDayRuleOrsWhenBothDaysRestricted) {
  auto either = cron("0 0 13 * FRI");
  EXPECT_TRUE(either.matches(at(2026, 1, 13, 0, 0)));  // Tuesday 13th
  EXPECT_TRUE(either.matches(at(2026, 1, 16, 0, 0)));  // Friday 16th
  EXPECT_FALSE(either.matches(at(2026, 1, 14, 0, 0)));
  auto both = cron("0 0 */2 * FRI");                  // '*' first: AND
  EXPECT_TRUE(both.matches(at(2026, 1, 23, 0, 0)));   // Friday, odd day
  EXPECT_FALSE(both.matches(at(2026, 1, 16, 0, 0)));  // Friday, even day
  EXPECT_FALSE(both.matches(at(2026, 1, 21, 0, 0)));  // odd, Wednesday
}

TEST(CronExpression, LeapDayIsFound) {
  auto c = cron("0 12 29 2 *");
  EXPECT_EQ(*c.next_match(at(2026, 3, 1, 0, 0)), at(2028, 2, 29, 12, 0));
  EXPECT_EQ(*c.last_match(at(2026, 3, 1, 0, 0)), at(2024, 2, 29, 12, 0));
}

TEST(CronExpression, ErrorsNameTheField) {
  EXPECT_EQ(error_field("60 * * * *"), "cron.minute");
  EXPECT_EQ(error_field("* 24 * * *"), "cron.hour");
  EXPECT_EQ(error_field("* * 0 * *"), "cron.day_of_month");
  EXPECT_EQ(error_field("* * * 13 *"), "cron.month");
  EXPECT_EQ(error_field("* * * FOO *"), "cron.month");
  EXPECT_EQ(error_field("* * * * 8"), "cron.day_of_week");
  EXPECT_EQ(error_field("* * * * JAN"), "cron.day_of_week");
  EXPECT_EQ(error_field("*/0 * * * *"), "cron.minute");
  EXPECT_EQ(error_field("5-1 * * * *"), "cron.minute");
  EXPECT_EQ(error_field("1, * * * *"), "cron.minute");
  EXPECT_EQ(error_field("a * * * *"), "cron.minute");
  EXPECT_EQ(error_field("* * * *"), "cron");
  EXPECT_EQ(error_field("* * * * * *"), "cron");
  EXPECT_EQ(error_field(""), "cron");
  EXPECT_EQ(error_field("@reboot"), "cron");
  EXPECT_EQ(error_field("0 0 30 FEB *"), "cron.day_of_month");
  EXPECT_EQ(error_field("0 0 31 4,6,9,11 *"), "cron.day_of_month");
  auto ok = CronExpression::parse("0 0 30 FEB MON");  // OR rule: every Monday in February
  EXPECT_TRUE(ok.ok());
}

}  // namespace
}  // namespace opz::governance
