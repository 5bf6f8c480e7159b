// WidgetMetricStore: the values dashboard widgets show (widget_metrics,
// migration 001; seed 004 "Dashboard metrics": widget_type, metric_name,
// metric_value, plus dimensions JSON and recorded_at). Not per user: every
// signed-in user reads them, operators record them. The caller validates
// names and values (finite). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::store {

struct WidgetMetricRecord {
  std::string id;
  std::string widget_type;
  std::string metric_name;
  double metric_value = 0;
  Json dimensions = Json::object();
  std::string recorded_at;
};

// Empty strings match everything; `since` (stored time format) is inclusive.
struct WidgetMetricFilter {
  std::string widget_type;
  std::string metric_name;
  std::string since;
  int limit = 100;
};

class WidgetMetricStore {
 public:
  WidgetMetricStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // recorded_at is the clock's now.
  Result<WidgetMetricRecord> insert(const std::string& widget_type, const std::string& metric_name,
                                    double value, const Json& dimensions);
  // Newest first (recorded_at, id), at most filter.limit.
  Result<std::vector<WidgetMetricRecord>> list(const WidgetMetricFilter& filter);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
