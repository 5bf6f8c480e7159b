// MetricSource: how a canary `metric` analysis reads its number — the
// aggregate of the deployment's project's ingested ops metric over the last
// `window` (issue 13). The engine binds it to the project and the store, so
// the deploy code does no I/O of its own and tests pass a recording fake.
// Called on the deploy loop's thread; an error (no samples in the window,
// a store failure) is a failed sample with that message.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "pipeline/deploy_spec.h"

namespace opz::deploy {

struct MetricQuery {
  std::string metric;
  pipeline::MetricAggregate aggregate = pipeline::MetricAggregate::kAvg;
  Millis window{0};
  bool operator==(const MetricQuery&) const = default;
};

using MetricSource = std::function<Result<double>(const MetricQuery&)>;

// "5m", "90s", "1500ms": how an error message names a window.
std::string window_text(Millis window);

}  // namespace opz::deploy
