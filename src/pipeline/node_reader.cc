#include "pipeline/node_reader.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/quantity.h"
#include "pipeline/condition_parser.h"
#include "pipeline/deploy_reader.h"
#include "pipeline/field_reader.h"
#include "pipeline/limits.h"

namespace opz::pipeline {
namespace {

using std::chrono::hours;

constexpr std::string_view kStepKeys[] = {"name", "run"};
constexpr std::string_view kRetryKeys[] = {"max_attempts", "initial", "max"};
constexpr std::string_view kConditionKeys[] = {"branch", "tag", "environment"};

std::optional<std::vector<Step>> read_steps(const Json& value, const std::string& path,
                                            Diagnostics& diag) {
  if (!value.is_array() || value.empty() || value.size() > kMaxStepsPerNode) {
    diag.report(path, "must be a list of 1 to " + std::to_string(kMaxStepsPerNode) +
                          " steps ({name, run}), got " +
                          (value.is_array() ? std::to_string(value.size()) + " items"
                                            : std::string(json_kind(value))));
    return std::nullopt;
  }
  std::vector<Step> steps;
  bool ok = true;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string item = item_path(path, i);
    Step step{"step " + std::to_string(i + 1), {}};
    const Json& entry = value[i];
    std::optional<std::string> run;
    if (entry.is_string()) {  // shorthand: "- make test"
      run = read_string(entry, item, diag, kMaxCommandBytes);
    } else if (entry.is_object()) {
      check_keys(entry, item, kStepKeys, diag);
      if (const Json* name = member(entry, "name")) {
        if (auto text = read_string(*name, child_path(item, "name"), diag, kMaxNameLength))
          step.name = std::move(*text);
      }
      if (const Json* command = member(entry, "run")) {
        run = read_string(*command, child_path(item, "run"), diag, kMaxCommandBytes);
      } else {
        diag.report(item, "a step needs run (the command to execute)");
      }
    } else {
      diag.report(item, "must be a map with name and run, got " + std::string(json_kind(entry)));
    }
    if (!run) {
      ok = false;
      continue;
    }
    step.run = std::move(*run);
    steps.push_back(std::move(step));
  }
  if (!ok) return std::nullopt;
  return steps;
}

std::optional<Condition> read_condition_map(const Json& value, const std::string& path,
                                            Diagnostics& diag) {
  check_keys(value, path, kConditionKeys, diag);
  std::vector<Condition> required;
  bool ok = true;
  for (std::string_view key : kConditionKeys) {
    const Json* patterns = member(value, key);
    if (!patterns) continue;
    std::string key_path = child_path(path, key);
    ConditionSubject subject = *condition_subject_from_string(key);
    std::vector<std::pair<const Json*, std::string>> items;
    if (patterns->is_array() && !patterns->empty()) {
      for (size_t i = 0; i < patterns->size(); ++i)
        items.emplace_back(&(*patterns)[i], item_path(key_path, i));
    } else if (patterns->is_string()) {
      items.emplace_back(patterns, key_path);
    } else {
      diag.report(key_path, "must be a pattern or a non-empty list of patterns, got " +
                                std::string(json_kind(*patterns)));
      ok = false;
      continue;
    }
    std::vector<Condition> alternatives;
    for (const auto& [item, item_at] : items) {
      std::optional<std::string> pattern = read_string(*item, item_at, diag, kMaxPatternLength);
      if (!pattern) {
        ok = false;
        continue;
      }
      if (std::string problem = pattern_problem(ConditionOp::kMatches, *pattern);
          !problem.empty()) {
        diag.report(item_at, problem);
        ok = false;
        continue;
      }
      alternatives.push_back(
          Condition::clause(subject, ConditionOp::kMatches, std::move(*pattern)));
    }
    if (!alternatives.empty()) required.push_back(Condition::any(std::move(alternatives)));
  }
  if (!ok) return std::nullopt;
  if (required.empty()) {
    diag.report(path, "must name at least one of branch, tag or environment");
    return std::nullopt;
  }
  return Condition::all(std::move(required));
}

// runs_on: a label or a list of labels, each [A-Za-z0-9_.-]{1,64}.
void read_runs_on(const Json& value, const std::string& path, Node& node, Diagnostics& diag) {
  const bool list = value.is_array();
  if (!list && !value.is_string()) {
    diag.report(path, "must be a label or a list of labels, got " + std::string(json_kind(value)));
    return;
  }
  for (size_t i = 0; i < (list ? value.size() : 1); ++i) {
    const Json& item = list ? value[i] : value;
    const std::string at = list ? item_path(path, i) : path;
    const std::string* label = item.get_ptr<const std::string*>();
    const bool ok = label && !label->empty() && label->size() <= 64 &&
                    label->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                             "0123456789_.-") == std::string::npos;
    if (!ok) {
      diag.report(at, "must be a label of 1-64 letters, digits, '_', '.' or '-'");
      continue;
    }
    if (std::find(node.runs_on.begin(), node.runs_on.end(), *label) == node.runs_on.end())
      node.runs_on.push_back(*label);
  }
}

}  // namespace

std::optional<RetryPolicy> read_retry(const Json& value, const std::string& path,
                                      Diagnostics& diag) {
  if (value.is_boolean()) return value.get<bool>() ? RetryPolicy::seeds_default() : RetryPolicy{};
  if (value.is_null()) return RetryPolicy::seeds_default();
  if (!value.is_object()) {
    diag.report(path, "must be true, false or a map with max_attempts, initial and max, got " +
                          std::string(json_kind(value)));
    return std::nullopt;
  }
  check_keys(value, path, kRetryKeys, diag);
  RetryPolicy policy = RetryPolicy::seeds_default();
  bool ok = true;
  if (const Json* attempts = member(value, "max_attempts")) {
    auto n = read_int(*attempts, child_path(path, "max_attempts"), diag, 1, kMaxRetryAttempts);
    if (n) policy.max_attempts = static_cast<int>(*n);
    ok = ok && n.has_value();
  }
  if (const Json* initial = member(value, "initial")) {
    auto d = read_duration(*initial, child_path(path, "initial"), diag, Millis{0}, hours{1});
    if (d) policy.initial = *d;
    ok = ok && d.has_value();
  }
  if (const Json* max = member(value, "max")) {
    auto d = read_duration(*max, child_path(path, "max"), diag, Millis{0}, hours{24});
    if (d) policy.max = *d;
    ok = ok && d.has_value();
  }
  if (!ok) return std::nullopt;
  if (policy.initial > policy.max) {
    diag.report(path, "initial (" + format_duration(policy.initial) +
                          ") must not be greater than max (" + format_duration(policy.max) + ")");
    return std::nullopt;
  }
  return policy;
}

namespace {

// The canonical text is what the stored JSON keeps and parses again, so it
// must stay within the grammar's length limit too.
std::optional<Condition> within_length(std::optional<Condition> condition, const std::string& path,
                                       Diagnostics& diag) {
  if (condition && condition->to_string().size() > kMaxConditionLength) {
    diag.report(path, "the condition is longer than " + std::to_string(kMaxConditionLength) +
                          " characters once written as an expression");
    return std::nullopt;
  }
  return condition;
}

}  // namespace

std::optional<Condition> read_condition(const Json& value, const std::string& path,
                                        Diagnostics& diag) {
  if (value.is_string()) {
    size_t offset = 0;
    Result<Condition> parsed = parse_condition(value.get_ref<const std::string&>(), &offset);
    if (!parsed) {
      diag.report_in_string(path, offset, parsed.error().message);
      return std::nullopt;
    }
    return within_length(std::move(parsed).value(), path, diag);
  }
  if (value.is_object()) return within_length(read_condition_map(value, path, diag), path, diag);
  diag.report(path,
              "must be an expression such as branch == 'main' or a map of branch, tag "
              "and environment patterns, got " +
                  std::string(json_kind(value)));
  return std::nullopt;
}

void read_node_body(const Json& fields, const std::string& path, Node& node, Diagnostics& diag) {
  node.checkpoint = checkpoint_by_default(node.type);
  auto at = [&](std::string_view key) { return child_path(path, key); };

  if (const Json* v = member(fields, "description")) {
    if (auto text = read_string(*v, at("description"), diag, kMaxDescriptionLength, true))
      node.description = std::move(*text);
  }
  const Json* run = member(fields, "run");
  const Json* steps = member(fields, "steps");
  bool canary_steps = node.type == NodeType::kDeploy && steps && is_canary_step_list(*steps);
  if (canary_steps) steps = nullptr;  // read by read_deploy_node; the command is `run`
  if (run && steps) {
    diag.report(at("steps"), "use either run or steps, not both", true);
  } else if (run) {
    if (auto command = read_string(*run, at("run"), diag, kMaxCommandBytes))
      node.steps = {Step{"run", std::move(*command)}};
  } else if (steps) {
    if (auto list = read_steps(*steps, at("steps"), diag)) node.steps = std::move(*list);
  } else if (canary_steps) {
    diag.report_message(path, true,
                        path + ": node '" + node.id + "' has nothing to run: its steps are " +
                            "canary steps, so the deploy command goes in run");
  } else if (!may_have_no_steps(node.type)) {
    diag.report_message(path, true,
                        path + ": node '" + node.id + "' has nothing to run: add run or steps " +
                            "(only trigger, approval, notify and github_workflow nodes may "
                            "have none)");
  }
  if (const Json* v = member(fields, "env")) {
    if (auto env = read_env(*v, at("env"), diag)) node.env = std::move(*env);
  }
  if (const Json* v = member(fields, "timeout")) {
    if (auto d = read_duration(*v, at("timeout"), diag, Millis{1}, hours{24 * 30}))
      node.timeout = *d;
  }
  if (const Json* v = member(fields, "retry")) {
    if (auto policy = read_retry(*v, at("retry"), diag)) node.retry = *policy;
  }
  if (const Json* v = member(fields, "if")) {
    if (auto condition = read_condition(*v, at("if"), diag)) node.condition = std::move(*condition);
  }
  if (const Json* v = member(fields, "environment")) {
    if (auto name = read_string(*v, at("environment"), diag, kMaxNameLength))
      node.environment = std::move(*name);
  }
  if (const Json* v = member(fields, "checkpoint")) {
    if (auto flag = read_bool(*v, at("checkpoint"), diag)) node.checkpoint = *flag;
  }
  if (const Json* v = member(fields, "continue_on_error")) {
    if (auto flag = read_bool(*v, at("continue_on_error"), diag)) node.continue_on_error = *flag;
  }
  if (const Json* v = member(fields, "runs_on")) read_runs_on(*v, at("runs_on"), node, diag);
  if (const Json* v = member(fields, "with")) {
    if (v->is_null()) {
      node.with = Json::object();
    } else if (expect_map(*v, at("with"), diag)) {
      node.with = *v;
    }
  }
  if (node.type == NodeType::kDeploy) {
    node.deploy = read_deploy_node(fields, path, diag);
    return;
  }
  for (std::string_view key : kDeployNodeKeys) {
    if (member(fields, key))
      diag.report(at(key), "only deploy nodes take " + std::string(key), true);
  }
}

}  // namespace opz::pipeline
