#include "pipeline/pipeline_json.h"

#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/condition_parser.h"
#include "pipeline/deploy_reader.h"
#include "pipeline/diagnostics.h"
#include "pipeline/field_reader.h"
#include "pipeline/limits.h"
#include "pipeline/topology.h"

namespace opz::pipeline {
namespace {

constexpr std::string_view kPipelineKeys[] = {"format",    "name",       "env",  "max_parallel",
                                              "fail_fast", "timeout_ms", "nodes"};
constexpr std::string_view kJsonNodeKeys[] = {
    "id",          "name",       "description",       "type",  "needs",
    "steps",       "env",        "timeout_ms",        "retry", "if",
    "environment", "checkpoint", "continue_on_error", "with",  "line",
    "deploy",      "runs_on"};
constexpr std::string_view kJsonStepKeys[] = {"name", "run"};
constexpr std::string_view kJsonRetryKeys[] = {"max_attempts", "initial_ms", "max_ms"};
constexpr int64_t kMaxMillis = std::numeric_limits<int64_t>::max() / 2;

Json optional_millis(const std::optional<Millis>& d) {
  return d ? Json(d->count()) : Json(nullptr);
}

// Reads `object[key]` with `read` when present; reports a missing key.
template <typename Read>
void required(const Json& object, std::string_view key, const std::string& path, Diagnostics& diag,
              Read read) {
  auto it = object.find(key);
  if (it == object.end()) {
    diag.report(path, "missing " + std::string(key));
    return;
  }
  read(*it, child_path(path, key));
}

std::optional<Millis> read_millis(const Json& value, const std::string& path, Diagnostics& diag,
                                  int64_t min) {
  if (auto n = read_int(value, path, diag, min, kMaxMillis)) return Millis{*n};
  return std::nullopt;
}

std::optional<Millis> read_optional_millis(const Json& value, const std::string& path,
                                           Diagnostics& diag) {
  if (value.is_null()) return std::nullopt;
  return read_millis(value, path, diag, 1);
}

// "deploy": the node's DeploySpec. Written for deploy nodes only; absent or
// null there means the default spec (pipelines stored before specs existed).
void read_deploy_member(const Json& node_json, const std::string& path, Node& node,
                        Diagnostics& diag) {
  const Json* deploy = member(node_json, "deploy");
  bool given = deploy && !deploy->is_null();
  if (node.type != NodeType::kDeploy) {
    if (given) diag.report(child_path(path, "deploy"), "only deploy nodes have a deploy spec");
    return;
  }
  node.deploy = given ? read_deploy_json(*deploy, child_path(path, "deploy"), diag) : DeploySpec{};
}

Node read_node(const Json& value, const std::string& path, std::vector<std::string>& need_paths,
               Diagnostics& diag) {
  Node node;
  if (!expect_map(value, path, diag)) return node;
  check_keys(value, path, kJsonNodeKeys, diag);
  required(value, "id", path, diag, [&](const Json& v, const std::string& at) {
    if (auto id = read_string(v, at, diag, kMaxNodeIdLength)) {
      if (!is_valid_node_id(*id)) diag.report(at, "invalid node id '" + *id + "'");
      node.id = std::move(*id);
    }
  });
  required(value, "name", path, diag, [&](const Json& v, const std::string& at) {
    if (auto s = read_string(v, at, diag, kMaxNameLength)) node.name = std::move(*s);
  });
  required(value, "description", path, diag, [&](const Json& v, const std::string& at) {
    if (auto s = read_string(v, at, diag, kMaxDescriptionLength, true)) node.description = *s;
  });
  required(value, "type", path, diag, [&](const Json& v, const std::string& at) {
    if (auto s = read_string(v, at, diag, kMaxNameLength)) {
      if (auto type = node_type_from_string(*s))
        node.type = *type;
      else
        diag.report(at, "unknown node type '" + *s + "'");
    }
  });
  required(value, "needs", path, diag, [&](const Json& v, const std::string& at) {
    if (!v.is_array()) return diag.report(at, "must be a list, got " + std::string(json_kind(v)));
    for (size_t i = 0; i < v.size(); ++i) {
      if (auto id = read_string(v[i], item_path(at, i), diag, kMaxNodeIdLength)) {
        node.needs.push_back(std::move(*id));
        need_paths.push_back(item_path(at, i));
      }
    }
  });
  required(value, "steps", path, diag, [&](const Json& v, const std::string& at) {
    if (!v.is_array() || v.size() > kMaxStepsPerNode)
      return diag.report(
          at, "must be a list of at most " + std::to_string(kMaxStepsPerNode) + " steps");
    for (size_t i = 0; i < v.size(); ++i) {
      std::string item = item_path(at, i);
      if (!expect_map(v[i], item, diag)) continue;
      check_keys(v[i], item, kJsonStepKeys, diag);
      Step step;
      required(v[i], "name", item, diag, [&](const Json& s, const std::string& p) {
        if (auto t = read_string(s, p, diag, kMaxNameLength)) step.name = std::move(*t);
      });
      required(v[i], "run", item, diag, [&](const Json& s, const std::string& p) {
        if (auto t = read_string(s, p, diag, kMaxCommandBytes)) step.run = std::move(*t);
      });
      node.steps.push_back(std::move(step));
    }
    if (v.empty() && !may_have_no_steps(node.type))
      diag.report(at, "node '" + node.id + "' has no steps");
  });
  required(value, "env", path, diag, [&](const Json& v, const std::string& at) {
    if (auto env = read_env(v, at, diag)) node.env = std::move(*env);
  });
  required(value, "timeout_ms", path, diag, [&](const Json& v, const std::string& at) {
    node.timeout = read_optional_millis(v, at, diag);
  });
  required(value, "retry", path, diag, [&](const Json& v, const std::string& at) {
    if (!expect_map(v, at, diag)) return;
    check_keys(v, at, kJsonRetryKeys, diag);
    required(v, "max_attempts", at, diag, [&](const Json& n, const std::string& p) {
      if (auto a = read_int(n, p, diag, 1, kMaxRetryAttempts))
        node.retry.max_attempts = static_cast<int>(*a);
    });
    required(v, "initial_ms", at, diag, [&](const Json& n, const std::string& p) {
      if (auto d = read_millis(n, p, diag, 0)) node.retry.initial = *d;
    });
    required(v, "max_ms", at, diag, [&](const Json& n, const std::string& p) {
      if (auto d = read_millis(n, p, diag, 0)) node.retry.max = *d;
    });
  });
  required(value, "if", path, diag, [&](const Json& v, const std::string& at) {
    if (v.is_null()) return;
    if (auto text = read_string(v, at, diag, kMaxConditionLength)) {
      Result<Condition> condition = parse_condition(*text);
      if (condition)
        node.condition = std::move(condition).value();
      else
        diag.report(at, condition.error().message);
    }
  });
  required(value, "environment", path, diag, [&](const Json& v, const std::string& at) {
    if (auto s = read_string(v, at, diag, kMaxNameLength, true)) node.environment = std::move(*s);
  });
  required(value, "checkpoint", path, diag, [&](const Json& v, const std::string& at) {
    if (auto b = read_bool(v, at, diag)) node.checkpoint = *b;
  });
  required(value, "continue_on_error", path, diag, [&](const Json& v, const std::string& at) {
    if (auto b = read_bool(v, at, diag)) node.continue_on_error = *b;
  });
  required(value, "with", path, diag, [&](const Json& v, const std::string& at) {
    if (expect_map(v, at, diag)) node.with = v;
  });
  required(value, "line", path, diag, [&](const Json& v, const std::string& at) {
    if (auto n = read_int(v, at, diag, 0, std::numeric_limits<int>::max()))
      node.line = static_cast<int>(*n);
  });
  // Optional: documents written before runs_on existed have none.
  if (const Json* v = member(value, "runs_on")) {
    if (!v->is_array()) {
      diag.report(path + ".runs_on", "must be a list of labels");
    } else {
      for (const Json& l : *v)
        if (l.is_string()) node.runs_on.push_back(l.get<std::string>());
    }
  }
  read_deploy_member(value, path, node, diag);
  return node;
}

}  // namespace

Json to_json(const Pipeline& pipeline) {
  Json nodes = Json::array();
  for (const Node& node : pipeline.nodes) {
    Json steps = Json::array();
    for (const Step& step : node.steps) steps.push_back({{"name", step.name}, {"run", step.run}});
    Json& out = nodes.emplace_back(Json{
        {"id", node.id},
        {"name", node.name},
        {"description", node.description},
        {"type", std::string(to_string(node.type))},
        {"needs", node.needs},
        {"steps", std::move(steps)},
        {"env", node.env},
        {"timeout_ms", optional_millis(node.timeout)},
        {"retry",
         {{"max_attempts", node.retry.max_attempts},
          {"initial_ms", node.retry.initial.count()},
          {"max_ms", node.retry.max.count()}}},
        {"if", node.condition ? Json(node.condition->to_string()) : Json(nullptr)},
        {"environment", node.environment},
        {"checkpoint", node.checkpoint},
        {"continue_on_error", node.continue_on_error},
        {"with", node.with},
        {"line", node.line},
    });
    if (node.deploy) out["deploy"] = to_json(*node.deploy);
    if (!node.runs_on.empty()) out["runs_on"] = node.runs_on;  // absent: the server runs it
  }
  return {{"format", kPipelineJsonFormat},
          {"name", pipeline.name},
          {"env", pipeline.env},
          {"max_parallel", pipeline.max_parallel},
          {"fail_fast", pipeline.fail_fast},
          {"timeout_ms", optional_millis(pipeline.timeout)},
          {"nodes", std::move(nodes)}};
}

Result<Pipeline> pipeline_from_json(const Json& json) {
  JsonSourceMap source;
  Diagnostics diag(source);
  Pipeline pipeline;
  if (!expect_map(json, "pipeline", diag)) return diag.errors().front();
  check_keys(json, "", kPipelineKeys, diag);
  required(json, "format", "", diag, [&](const Json& v, const std::string& at) {
    read_int(v, at, diag, kPipelineJsonFormat, kPipelineJsonFormat);
  });
  required(json, "name", "", diag, [&](const Json& v, const std::string& at) {
    if (auto s = read_string(v, at, diag, kMaxNameLength, true)) pipeline.name = std::move(*s);
  });
  required(json, "env", "", diag, [&](const Json& v, const std::string& at) {
    if (auto env = read_env(v, at, diag)) pipeline.env = std::move(*env);
  });
  required(json, "max_parallel", "", diag, [&](const Json& v, const std::string& at) {
    if (auto n = read_int(v, at, diag, 0, kMaxParallel))
      pipeline.max_parallel = static_cast<int>(*n);
  });
  required(json, "fail_fast", "", diag, [&](const Json& v, const std::string& at) {
    if (auto b = read_bool(v, at, diag)) pipeline.fail_fast = *b;
  });
  required(json, "timeout_ms", "", diag, [&](const Json& v, const std::string& at) {
    pipeline.timeout = read_optional_millis(v, at, diag);
  });
  std::vector<std::vector<std::string>> need_paths;
  std::vector<std::string> node_paths;
  required(json, "nodes", "", diag, [&](const Json& v, const std::string& at) {
    if (!v.is_array() || v.empty() || v.size() > kMaxNodes)
      return diag.report(at, "must be a list of 1 to " + std::to_string(kMaxNodes) + " nodes");
    for (size_t i = 0; i < v.size(); ++i) {
      node_paths.push_back(item_path(at, i));
      need_paths.emplace_back();
      pipeline.nodes.push_back(read_node(v[i], node_paths.back(), need_paths.back(), diag));
    }
  });
  if (!diag.ok()) return diag.errors().front();
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < pipeline.nodes.size(); ++i) {
    if (!seen.emplace(pipeline.nodes[i].id, i).second)
      diag.report(child_path(node_paths[i], "id"),
                  "duplicate node id '" + pipeline.nodes[i].id + "'");
  }
  if (!diag.ok()) return diag.errors().front();
  check_needs(pipeline.nodes, need_paths, diag);
  if (!diag.ok()) return diag.errors().front();
  if (!order_topologically(pipeline.nodes, node_paths, diag)) return diag.errors().front();
  return pipeline;
}

}  // namespace opz::pipeline
