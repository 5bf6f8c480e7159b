// Failure clusters (telemetry/insights.h): failed runs grouped by exit code
// and log signature.
#include <algorithm>
#include <map>

#include "telemetry/insights.h"
#include "telemetry/log_signature.h"

namespace opz::telemetry {

std::vector<FailureCluster> failure_clusters(const std::vector<NodeRun>& window_runs) {
  std::vector<const NodeRun*> failed;
  for (const NodeRun& r : window_runs)
    if (r.status == "failed") failed.push_back(&r);
  // Latest first, so the first examples kept are the most recent ones.
  std::stable_sort(failed.begin(), failed.end(), [](const NodeRun* a, const NodeRun* b) {
    return a->finished_at > b->finished_at;
  });
  std::map<std::pair<std::optional<int64_t>, std::string>, FailureCluster> clusters;
  for (const NodeRun* r : failed) {
    std::string signature = log_signature(r->log_tail, r->error);
    auto [it, created] = clusters.try_emplace({r->exit_code, signature});
    FailureCluster& c = it->second;
    if (created) {
      c.signature = std::move(signature);
      c.exit_code = r->exit_code;
      c.last_seen = r->finished_at;
    }
    ++c.count;
    c.first_seen = r->finished_at;
    auto& examples = c.example_execution_ids;
    if (examples.size() < kClusterExamples &&
        std::find(examples.begin(), examples.end(), r->execution_id) == examples.end())
      examples.push_back(r->execution_id);
    if (std::find(c.node_ids.begin(), c.node_ids.end(), r->node_id) == c.node_ids.end())
      c.node_ids.push_back(r->node_id);
  }
  std::vector<FailureCluster> out;
  for (auto& [key, c] : clusters) out.push_back(std::move(c));
  std::sort(out.begin(), out.end(), [](const FailureCluster& a, const FailureCluster& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.last_seen != b.last_seen) return a.last_seen > b.last_seen;
    return a.signature < b.signature;
  });
  if (out.size() > kInsightListLimit) out.resize(kInsightListLimit);
  return out;
}

}  // namespace opz::telemetry
