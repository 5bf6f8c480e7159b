#include "telemetry/dora.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <map>

#include "core/time_format.h"

namespace opz::telemetry {

namespace {

using days_type = std::chrono::days;

bool is_failure(const std::string& status) {
  return status == "failed" || status == "rolled_back";
}
bool is_finished(const std::string& status) { return status == "success" || is_failure(status); }

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double seconds_between(TimePoint from, TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string day_of(TimePoint t) { return format_time(t).substr(0, 10); }

}  // namespace

DoraMetrics compute_dora(std::vector<DoraDeployment> deployments, TimePoint window_start,
                         TimePoint now) {
  std::erase_if(deployments, [&](const DoraDeployment& d) {
    return !is_finished(d.status) || d.finished_at < window_start || d.finished_at >= now;
  });
  std::sort(deployments.begin(), deployments.end(),
            [](const DoraDeployment& a, const DoraDeployment& b) {
              return a.finished_at < b.finished_at;
            });
  DoraMetrics m;
  std::map<std::string, DoraDay> days;
  for (TimePoint t = window_start; t < now; t += std::chrono::hours(24))
    days[day_of(t)].date = day_of(t);
  if (now > window_start) days[day_of(now - std::chrono::milliseconds(1))].date =
      day_of(now - std::chrono::milliseconds(1));

  int64_t successes = 0, failures = 0;
  bool used_commit = false, used_fallback = false;
  std::vector<double> lead_times, restores;
  std::map<std::string, TimePoint> first_unrestored_failure;  // per environment
  for (const DoraDeployment& d : deployments) {
    DoraDay& day = days[day_of(d.finished_at)];
    day.date = day_of(d.finished_at);
    ++day.deployments;
    if (is_failure(d.status)) {
      ++failures;
      ++day.failures;
      first_unrestored_failure.try_emplace(d.environment, d.finished_at);
      continue;
    }
    ++successes;
    const TimePoint start = d.commit_time.value_or(d.execution_created_at);
    (d.commit_time ? used_commit : used_fallback) = true;
    lead_times.push_back(std::max(0.0, seconds_between(start, d.finished_at)));
    if (auto it = first_unrestored_failure.find(d.environment);
        it != first_unrestored_failure.end()) {
      restores.push_back(seconds_between(it->second, d.finished_at));
      first_unrestored_failure.erase(it);
    }
  }
  const double window_days =
      std::max(1.0, seconds_between(window_start, now) / (24.0 * 3600.0));
  m.deployment_frequency = static_cast<double>(successes) / window_days;
  m.lead_time_seconds = median(lead_times);
  m.lead_time_basis = used_commit && used_fallback ? "mixed"
                      : used_commit                ? "commit_time"
                      : used_fallback              ? "execution_created"
                                                   : "";
  if (successes + failures > 0)
    m.change_failure_rate =
        static_cast<double>(failures) / static_cast<double>(successes + failures);
  m.time_to_restore_seconds = median(restores);
  for (auto& [date, day] : days) m.series.push_back(day);
  m.weekly_series = weekly_series(m.series);
  return m;
}

std::vector<DoraWeek> weekly_series(const std::vector<DoraDay>& days) {
  using namespace std::chrono;
  std::vector<DoraWeek> out;
  for (const DoraDay& day : days) {
    int y = 0;
    unsigned mo = 0, d = 0;
    if (day.date.size() != 10 || std::sscanf(day.date.c_str(), "%4d-%2u-%2u", &y, &mo, &d) != 3)
      continue;
    const year_month_day ymd{year{y}, month{mo}, std::chrono::day{d}};
    if (!ymd.ok()) continue;
    const sys_days date{ymd};
    // ISO weekday 1 (Monday) .. 7 (Sunday); the week belongs to the year of its Thursday.
    const unsigned iso_weekday = weekday{date}.iso_encoding();
    const sys_days monday = date - days_type{iso_weekday - 1};
    const sys_days thursday = monday + days_type{3};
    const year iso_year = year_month_day{thursday}.year();
    const sys_days first_thursday_week_monday = [&] {
      const sys_days jan4{iso_year / January / 4};
      return jan4 - days_type{weekday{jan4}.iso_encoding() - 1};
    }();
    const int week_number = static_cast<int>((monday - first_thursday_week_monday).count() / 7) + 1;
    std::string week = fmt::format("{:04}-W{:02}", static_cast<int>(iso_year), week_number);
    if (out.empty() || out.back().week != week) {
      const year_month_day m{monday};
      out.push_back(DoraWeek{std::move(week),
                             fmt::format("{:04}-{:02}-{:02}", static_cast<int>(m.year()),
                                         static_cast<unsigned>(m.month()),
                                         static_cast<unsigned>(m.day())),
                             0, 0});
    }
    out.back().deployments += day.deployments;
    out.back().failures += day.failures;
  }
  return out;
}

}  // namespace opz::telemetry
