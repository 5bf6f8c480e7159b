#include "engine/ops_metric_source.h"

#include <utility>

#include "core/time_format.h"
#include "store/ops_metrics_store.h"

namespace opz::engine {
namespace {

store::OpsAggregate store_aggregate(pipeline::MetricAggregate a) {
  switch (a) {
    case pipeline::MetricAggregate::kAvg:
      return store::OpsAggregate::kAvg;
    case pipeline::MetricAggregate::kMax:
      return store::OpsAggregate::kMax;
    case pipeline::MetricAggregate::kMin:
      return store::OpsAggregate::kMin;
    case pipeline::MetricAggregate::kSum:
      return store::OpsAggregate::kSum;
    case pipeline::MetricAggregate::kCount:
      return store::OpsAggregate::kCount;
  }
  return store::OpsAggregate::kAvg;
}

}  // namespace

deploy::MetricSource ops_metric_source(store::Database& db, const Clock& clock,
                                       std::string project_id) {
  return [&db, &clock, project_id = std::move(project_id)](
             const deploy::MetricQuery& q) -> Result<double> {
    store::OpsMetricsStore store(db, clock);
    const std::string from = format_time(clock.now() - q.window);
    OPZ_TRY(std::optional<double> value,
            store.aggregate(project_id, q.metric, store_aggregate(q.aggregate), from));
    if (!value)
      return Error::not_found("no " + q.metric + " samples in the last " +
                              deploy::window_text(q.window));
    return *value;
  };
}

}  // namespace opz::engine
