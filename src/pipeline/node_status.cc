#include "pipeline/node_status.h"

#include <iterator>

namespace opz::pipeline {
namespace {

constexpr std::string_view kStatusNames[kNodeStatusCount] = {
    "pending", "queued", "running", "success", "failed", "skipped", "cancelled", "waiting"};
constexpr std::string_view kOutcomeNames[] = {"running", "success", "warning", "failed",
                                              "cancelled"};

}  // namespace

std::string_view to_string(NodeStatus status) {
  auto i = static_cast<size_t>(status);
  return i < kNodeStatusCount ? kStatusNames[i] : "pending";
}

std::optional<NodeStatus> node_status_from_string(std::string_view text) {
  for (size_t i = 0; i < kNodeStatusCount; ++i)
    if (kStatusNames[i] == text) return static_cast<NodeStatus>(i);
  return std::nullopt;
}

bool is_final(NodeStatus status) {
  return status == NodeStatus::kSuccess || status == NodeStatus::kFailed ||
         status == NodeStatus::kSkipped || status == NodeStatus::kCancelled;
}

std::string_view to_string(ExecutionOutcome outcome) {
  auto i = static_cast<size_t>(outcome);
  return i < std::size(kOutcomeNames) ? kOutcomeNames[i] : "running";
}

std::optional<ExecutionOutcome> execution_outcome_from_string(std::string_view text) {
  for (size_t i = 0; i < std::size(kOutcomeNames); ++i)
    if (kOutcomeNames[i] == text) return static_cast<ExecutionOutcome>(i);
  return std::nullopt;
}

}  // namespace opz::pipeline
