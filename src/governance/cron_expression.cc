#include "governance/cron_expression.h"
#include "core/ascii.h"

#include <array>
#include <cstddef>
#include <vector>

namespace opz::governance {

namespace {

using namespace std::chrono;

constexpr int kSearchDays = 8 * 366;  // covers every leap-day schedule

struct FieldSpec {
  const char* name;  // "minute", ...
  int min;
  int max;
  const std::array<std::string_view, 13>* names;  // index = value; nullptr: numbers only
};

constexpr std::array<std::string_view, 13> kMonthNames{
    "", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 13> kDayNames{
    "sun", "mon", "tue", "wed", "thu", "fri", "sat", "", "", "", "", "", ""};

constexpr FieldSpec kFields[5] = {
    {"minute", 0, 59, nullptr},        {"hour", 0, 23, nullptr},
    {"day_of_month", 1, 31, nullptr},  {"month", 1, 12, &kMonthNames},
    {"day_of_week", 0, 7, &kDayNames},
};

Error field_error(const FieldSpec& f, std::string_view item, const std::string& why) {
  return Error::validation("cron " + std::string(f.name) + " '" + std::string(item) + "': " + why,
                           std::string("cron.") + f.name);
}

// A number or (for month/day-of-week) a three-letter name.
Result<int> parse_value(const FieldSpec& f, std::string_view text, std::string_view item) {
  if (text.empty()) return field_error(f, item, "missing value");
  if (text[0] >= '0' && text[0] <= '9') {
    if (text.size() > 3) return field_error(f, item, "number too long");
    int v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return field_error(f, item, "not a number");
      v = v * 10 + (c - '0');
    }
    if (v < f.min || v > f.max)
      return field_error(f, item,
                         "out of range " + std::to_string(f.min) + "-" + std::to_string(f.max));
    return v;
  }
  if (f.names != nullptr && text.size() == 3) {
    std::string lowered{ascii_lower(text[0]), ascii_lower(text[1]), ascii_lower(text[2])};
    for (size_t i = 0; i < f.names->size(); ++i)
      if (!(*f.names)[i].empty() && (*f.names)[i] == lowered) return static_cast<int>(i);
  }
  return field_error(f, item, f.names ? "not a number or a known name" : "not a number");
}

// Sets the values of one comma-separated field into `bits` (index = value).
Status parse_field(const FieldSpec& f, std::string_view text, std::vector<bool>& bits) {
  if (text.empty()) return field_error(f, text, "empty");
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    std::string_view range = item;
    int step = 1;
    if (size_t slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      std::string_view step_text = item.substr(slash + 1);
      if (step_text.empty() || step_text.size() > 3 ||
          step_text.find_first_not_of("0123456789") != std::string_view::npos)
        return field_error(f, item, "step is not a number");
      step = std::stoi(std::string(step_text));
      if (step < 1 || step > f.max) return field_error(f, item, "step out of range");
    }
    int lo = f.min;
    int hi = f.max;
    if (range != "*") {
      size_t dash = range.find('-');
      OPZ_TRY(lo, parse_value(f, range.substr(0, dash), item));
      if (dash != std::string_view::npos) {
        OPZ_TRY(hi, parse_value(f, range.substr(dash + 1), item));
        if (hi < lo) return field_error(f, item, "range runs backwards");
      } else if (item.find('/') == std::string_view::npos) {
        hi = lo;
      }
    }
    for (int v = lo; v <= hi; v += step) bits[static_cast<size_t>(v)] = true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return ok_status();
}

std::string_view expand_macro(std::string_view text) {
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return {};
}

template <size_t N>
int next_set(const std::bitset<N>& bits, int from) {
  for (int i = from; i < static_cast<int>(N); ++i)
    if (bits[static_cast<size_t>(i)]) return i;
  return -1;
}

template <size_t N>
int prev_set(const std::bitset<N>& bits, int from) {
  for (int i = from; i >= 0; --i)
    if (bits[static_cast<size_t>(i)]) return i;
  return -1;
}

}  // namespace

Result<CronExpression> CronExpression::parse(std::string_view text) {
  if (text.size() > 200) return Error::validation("cron expression is too long", "cron");
  CronExpression cron;
  cron.text_ = std::string(text);
  std::string_view body = text;
  if (!text.empty() && text[0] == '@') {
    body = expand_macro(text);
    if (body.empty())
      return Error::validation("unknown cron macro '" + std::string(text) + "'", "cron");
  }
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    size_t j = i;
    while (j < body.size() && body[j] != ' ' && body[j] != '\t') ++j;
    if (j > i) fields.push_back(body.substr(i, j - i));
    i = j;
  }
  if (fields.size() != 5)
    return Error::validation(
        "cron expression needs 5 fields (minute hour day-of-month month "
        "day-of-week), got " +
            std::to_string(fields.size()),
        "cron");
  for (size_t k = 0; k < 5; ++k) {
    std::vector<bool> bits(static_cast<size_t>(kFields[k].max) + 1, false);
    OPZ_TRY_STATUS(parse_field(kFields[k], fields[k], bits));
    for (size_t v = 0; v < bits.size(); ++v) {
      if (!bits[v]) continue;
      switch (k) {
        case 0:
          cron.minutes_.set(v);
          break;
        case 1:
          cron.hours_.set(v);
          break;
        case 2:
          cron.days_of_month_.set(v);
          break;
        case 3:
          cron.months_.set(v);
          break;
        default:
          cron.days_of_week_.set(v % 7);
          break;
      }
    }
  }
  cron.dom_star_ = fields[2][0] == '*';
  cron.dow_star_ = fields[4][0] == '*';
  LocalMinutes probe{local_days{year{2000} / January / 1}.time_since_epoch()};
  if (!cron.next_match(probe))
    return Error::validation("cron expression '" + cron.text_ + "' never matches a real date",
                             "cron.day_of_month");
  return cron;
}

bool CronExpression::day_matches(local_days day) const {
  year_month_day ymd{day};
  if (!months_[static_cast<unsigned>(ymd.month())]) return false;
  bool dom = days_of_month_[static_cast<unsigned>(ymd.day())];
  bool dow = days_of_week_[weekday{day}.c_encoding()];
  return (dom_star_ || dow_star_) ? (dom && dow) : (dom || dow);
}

bool CronExpression::matches(LocalMinutes t) const {
  local_days day = floor<days>(t);
  hh_mm_ss<minutes> tod{t - day};
  return day_matches(day) && hours_[static_cast<size_t>(tod.hours().count())] &&
         minutes_[static_cast<size_t>(tod.minutes().count())];
}

std::optional<LocalMinutes> CronExpression::next_match(LocalMinutes from) const {
  local_days day = floor<days>(from);
  hh_mm_ss<minutes> tod{from - day};
  int start_h = static_cast<int>(tod.hours().count());
  int start_m = static_cast<int>(tod.minutes().count());
  for (int n = 0; n <= kSearchDays; ++n, day += days{1}, start_h = 0, start_m = 0) {
    if (!day_matches(day)) continue;
    for (int h = next_set(hours_, start_h); h >= 0; h = next_set(hours_, h + 1)) {
      int m = next_set(minutes_, h == start_h ? start_m : 0);
      if (m >= 0) return LocalMinutes{day.time_since_epoch() + hours{h} + minutes{m}};
    }
  }
  return std::nullopt;
}

std::optional<LocalMinutes> CronExpression::last_match(LocalMinutes at) const {
  local_days day = floor<days>(at);
  hh_mm_ss<minutes> tod{at - day};
  int end_h = static_cast<int>(tod.hours().count());
  int end_m = static_cast<int>(tod.minutes().count());
  for (int n = 0; n <= kSearchDays; ++n, day -= days{1}, end_h = 23, end_m = 59) {
    if (!day_matches(day)) continue;
    for (int h = prev_set(hours_, end_h); h >= 0; h = prev_set(hours_, h - 1)) {
      int m = prev_set(minutes_, h == end_h ? end_m : 59);
      if (m >= 0) return LocalMinutes{day.time_since_epoch() + hours{h} + minutes{m}};
    }
  }
  return std::nullopt;
}

}  // namespace opz::governance
