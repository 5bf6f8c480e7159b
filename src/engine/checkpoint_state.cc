#include "engine/checkpoint_state.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/node_outputs.h"

namespace opz::engine {

bool is_secret_name(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  constexpr std::array<std::string_view, 5> kMarkers = {"SECRET", "TOKEN", "PASSWORD", "KEY",
                                                        "CREDENTIAL"};
  return std::any_of(kMarkers.begin(), kMarkers.end(),
                     [&](std::string_view m) { return upper.find(m) != std::string::npos; });
}

Json build_checkpoint_state(const CheckpointInputs& in) {
  Json env = Json::object();
  for (const auto& [k, v] : in.environment)
    if (!is_secret_name(k)) env[k] = v;
  Json previous = Json::object();
  for (const auto& [id, status] : in.previous_nodes) previous[id] = status;
  Json outputs = Json::object();
  for (const auto& [id, values] : in.outputs) outputs[id] = outputs_to_json(*values);
  return Json{
      {"artifacts", in.artifacts.is_object() ? in.artifacts : Json::object()},
      {"environment_variables", std::move(env)},
      {"previous_nodes", std::move(previous)},
      {"outputs", std::move(outputs)},
      {"metadata",
       {{"commit_sha", in.commit_sha}, {"branch", in.branch}, {"timestamp", in.timestamp}}}};
}

Result<CheckpointRestore> read_checkpoint_state(const Json& state) {
  if (!state.is_object() || !state.contains("previous_nodes") ||
      !state["previous_nodes"].is_object())
    return Error::validation("checkpoint state has no previous_nodes object", "state");
  CheckpointRestore out;
  for (auto it = state["previous_nodes"].begin(); it != state["previous_nodes"].end(); ++it)
    if (it->is_string()) out.previous_nodes[it.key()] = it->get<std::string>();
  if (state.contains("outputs") && state["outputs"].is_object()) {
    for (auto it = state["outputs"].begin(); it != state["outputs"].end(); ++it)
      out.outputs[it.key()] = outputs_from_json(*it);
  }
  return out;
}

}  // namespace opz::engine
