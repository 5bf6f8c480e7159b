#include "telemetry/metric_name.h"

namespace opz::telemetry {

namespace {
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool valid_metric_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxMetricNameLength || !letter(name[0])) return false;
  for (char c : name)
    if (!letter(c) && !digit(c) && c != '.' && c != ':') return false;
  return true;
}

}  // namespace opz::telemetry
