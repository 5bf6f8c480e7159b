#include "engine/step_environment.h"

#include <array>

#include "pipeline/limits.h"

namespace opz::engine {

namespace {
constexpr std::array<const char*, 4> kBaseNames = {"PATH", "HOME", "LANG", "TMPDIR"};
}  // namespace

std::map<std::string, std::string> base_environment(const EnvLookup& lookup) {
  std::map<std::string, std::string> out;
  for (const char* name : kBaseNames) {
    if (auto value = lookup(name)) out.emplace(name, std::move(*value));
  }
  return out;
}

StepEnvironment::StepEnvironment(std::map<std::string, std::string> base,
                                 const std::map<std::string, std::string>& pipeline_env)
    : fixed_(std::move(base)) {
  for (const auto& [k, v] : pipeline_env) fixed_[k] = v;
}

std::vector<std::string> StepEnvironment::build(
    const pipeline::Node& node, const StepFacts& facts,
    const std::vector<UpstreamOutputs>& upstream, const StepVariables* variables) const {
  std::map<std::string, std::string> env = fixed_;
  for (const auto& [k, v] : node.env) env[k] = v;
  for (const UpstreamOutputs& up : upstream) {
    for (const auto& [key, value] : *up.values) {
      bool protected_name = false;
      for (const char* name : kBaseNames) protected_name = protected_name || key == name;
      if (!protected_name && pipeline::is_valid_env_name(key)) env[key] = value;
      env[runner::output_env_name(*up.node_id, key)] = value;
    }
  }
  if (variables) {
    for (const auto& [k, v] : variables->config) env[k] = v;
    for (const auto& [k, v] : variables->secrets) env[k] = v;
  }
  env["OPZENIX_EXECUTION_ID"] = facts.execution_id;
  env["OPZENIX_NODE_ID"] = facts.node_id;
  env["OPZENIX_ATTEMPT"] = std::to_string(facts.attempt);
  env["OPZENIX_BRANCH"] = facts.branch;
  env["OPZENIX_TAG"] = facts.tag;
  env["OPZENIX_COMMIT_SHA"] = facts.commit_sha;
  env["OPZENIX_ENVIRONMENT"] = facts.environment;
  env["OPZENIX_OUTPUT"] = facts.output_path;
  env["OPZENIX_WORKSPACE"] = facts.workspace;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace opz::engine
