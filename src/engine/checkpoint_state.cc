#include "engine/checkpoint_state.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/json_text.h"
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

namespace {

// `"<key>":` appended to a comma-separated list, its value to follow.
void start_member(std::string& list, std::string_view key) {
  if (!list.empty()) list += ',';
  append_json_string(list, key);
  list += ':';
}

}  // namespace

void FinishedNodes::add(std::string_view node_id, std::string_view status,
                        const runner::OutputValues& outputs) {
  start_member(previous_nodes_, node_id);
  append_json_string(previous_nodes_, status);
  if (!outputs.empty()) {
    start_member(outputs_, node_id);
    outputs_ += dump_json(outputs_to_json(outputs));
  }
  ++count_;
}

std::string checkpoint_state_text(const CheckpointInputs& in) {
  Json env = Json::object();
  for (const auto& [k, v] : in.environment)
    if (!is_secret_name(k)) env[k] = v;
  const Json metadata = {
      {"commit_sha", in.commit_sha}, {"branch", in.branch}, {"timestamp", in.timestamp}};
  static const FinishedNodes kNone;
  const FinishedNodes& finished = in.finished ? *in.finished : kNone;
  std::string out;
  out.reserve(256 + finished.previous_nodes().size() + finished.outputs().size());
  out += "{\"artifacts\":";
  out += dump_json(in.artifacts.is_object() ? in.artifacts : Json::object());
  out += ",\"environment_variables\":";
  out += dump_json(env);
  out += ",\"metadata\":";
  out += dump_json(metadata);
  out += ",\"outputs\":{";
  out += finished.outputs();
  out += "},\"previous_nodes\":{";
  out += finished.previous_nodes();
  out += "}}";
  return out;
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
