// Limits of a pipeline definition: the bounds every front-end (opzenix.yml,
// flow templates, the canonical JSON) enforces, and the node-id and
// environment-variable name rules. Plain constants and pure predicates;
// thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace opz::pipeline {

inline constexpr size_t kMaxNodes = 10'000;
inline constexpr size_t kMaxNodeIdLength = 100;  // ids match [A-Za-z0-9_.-]{1,100}
inline constexpr size_t kMaxCommandBytes = 64 * 1024;
inline constexpr size_t kMaxDocumentBytes = 1024 * 1024;
inline constexpr size_t kMaxStepsPerNode = 100;
inline constexpr int kMaxRetryAttempts = 100;
inline constexpr size_t kMaxNameLength = 200;  // display names, step names, environments
inline constexpr size_t kMaxDescriptionLength = 4096;
inline constexpr size_t kMaxEnvValueBytes = 64 * 1024;
inline constexpr size_t kMaxPatternLength = 256;     // one branch/tag/environment pattern
inline constexpr size_t kMaxConditionLength = 4096;  // the whole `if:` expression
inline constexpr int kMaxConditionNesting = 16;      // parentheses
inline constexpr int kMaxParallel = 10'000;
inline constexpr size_t kMaxErrors = 100;  // problems collected per validation

// [A-Za-z0-9_.-]{1,100}, but not "." or "..": a node id is a path segment of
// its log and artifact routes (/executions/{id}/nodes/{node}/logs), where
// those two mean "this" and "the parent" and can never be reached.
constexpr bool is_valid_node_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxNodeIdLength) return false;
  if (id == "." || id == "..") return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// [A-Za-z_][A-Za-z0-9_]{0,127}: what a POSIX shell accepts as a variable name.
constexpr bool is_valid_env_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace opz::pipeline
