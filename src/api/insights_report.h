// The insights report of one project over a window (issue 13): loads the
// records (store::InsightsStore: this window and the one before it, for the
// trend), computes them (telemetry::compute_insights) and renders the JSON
// both GET /api/v1/projects/{id}/insights and /functions/v1/ai-insights
// answer:
//   {"window", "window_start", "generated_at",
//    "slowest_nodes":   [{"node_id","runs","p50_ms","p95_ms","previous_p95_ms",
//                         "trend","series":[{"date","p95_ms","runs"}]}],
//    "flaky_nodes":     [{"node_id","runs","failures","passed_after_retry",
//                         "flips","score"}],
//    "failure_clusters":[{"signature","exit_code","count","first_seen",
//                         "last_seen","example_execution_ids","node_ids"}],
//    "queue_wait":      {"p50_ms","p95_ms","executions",
//                        "nodes":{"p50_ms","p95_ms","runs"}}}
// Figures with nothing to measure are null.
#pragma once

#include <string>

#include "api/api_context.h"
#include "core/json.h"
#include "core/result.h"

namespace opz::api {

// 404 for an unknown project, 422 naming "window" for a bad window.
Result<Json> insights_report(ApiContext& ctx, const std::string& project_id,
                             const std::string& window);

}  // namespace opz::api
