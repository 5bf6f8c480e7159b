// Fuzz target for governance::CronExpression: any bytes given to parse() must
// produce an expression or a kValidation error naming a cron field, never a
// crash, hang or exception. A parsed expression must agree with itself:
// next_match/last_match return minutes that match(), on the right side of
// the probe, and the text re-parses to the same schedule.
// Without libFuzzer it replays fuzz/corpus/cron_expression_fuzz/ as a test.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "governance/cron_expression.h"

namespace {

using namespace std::chrono;
using opz::governance::CronExpression;
using opz::governance::LocalMinutes;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cron = CronExpression::parse(text);
  if (!cron) {
    check(cron.error().code == opz::ErrorCode::kValidation);
    check(cron.error().field.rfind("cron", 0) == 0);
    return 0;
  }
  LocalMinutes probe{
      (local_days{year{2026} / March / 29} + hours{2} + minutes{size % 60}).time_since_epoch()};
  auto next = cron->next_match(probe);
  check(next.has_value());
  check(*next >= probe && cron->matches(*next));
  auto last = cron->last_match(probe);
  if (last) check(*last <= probe && cron->matches(*last));
  auto again = CronExpression::parse(cron->text());
  check(again.ok() && again->next_match(probe) == next);
  return 0;
}
