// Flaky nodes (telemetry/insights.h): retries that passed and outcome flips
// on the same commit (or branch).
#include <algorithm>
#include <map>

#include "telemetry/insights.h"

namespace opz::telemetry {

std::vector<FlakyNode> flaky_nodes(const std::vector<NodeRun>& window_runs) {
  std::vector<const NodeRun*> ordered;
  for (const NodeRun& r : window_runs)
    if (r.status == "success" || r.status == "failed") ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](const NodeRun* a, const NodeRun* b) {
    return a->finished_at < b->finished_at;
  });
  std::map<std::string, FlakyNode> per_node;
  // (node id, "commit:<sha>" or "branch:<name>") -> the previous outcome
  std::map<std::pair<std::string, std::string>, bool> last_success;
  for (const NodeRun* r : ordered) {
    FlakyNode& f = per_node[r->node_id];
    f.node_id = r->node_id;
    ++f.runs;
    const bool success = r->status == "success";
    if (!success) ++f.failures;
    if (success && r->attempts > 1) ++f.passed_after_retry;
    const std::string line = r->commit.empty() ? "branch:" + r->branch : "commit:" + r->commit;
    auto [it, first] = last_success.try_emplace({r->node_id, line}, success);
    if (!first) {
      if (it->second != success) ++f.flips;
      it->second = success;
    }
  }
  std::vector<FlakyNode> out;
  for (auto& [node_id, f] : per_node) {
    if (f.passed_after_retry + f.flips == 0) continue;
    f.score = std::min(1.0, static_cast<double>(f.passed_after_retry + f.flips) /
                                static_cast<double>(f.runs));
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const FlakyNode& a, const FlakyNode& b) {
    return a.score != b.score ? a.score > b.score : a.node_id < b.node_id;
  });
  if (out.size() > kInsightListLimit) out.resize(kInsightListLimit);
  return out;
}

}  // namespace opz::telemetry
