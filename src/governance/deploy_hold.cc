#include "governance/deploy_hold.h"

namespace opz::governance {

namespace {

constexpr const char* kRule = "deploy_hold";

std::string held_since(const std::string& environment, const DeployHold& hold) {
  std::string text = "automatic deploys to " + environment + " are held since the rollback of ";
  text += hold.version_tag.empty() ? "a bad version" : hold.version_tag;
  if (!hold.reason.empty()) text += ": " + hold.reason;
  return text;
}

}  // namespace

std::string release_hold_path(const std::string& project_id, const std::string& environment) {
  return "/api/v1/projects/" + project_id + "/environments/" + environment + "/hold";
}

RuleOutcome check_deploy_hold(const ExecutionRequest& request, const std::string& environment,
                              const std::optional<DeployHold>& hold) {
  if (!hold) return pass_rule(kRule, "no rollback holds automatic deploys to " + environment);
  std::string what = held_since(environment, *hold);
  if (!is_system_trigger(request.trigger))
    return pass_rule(kRule, what + "; bypassed by an explicit " +
                                std::string(to_string(request.trigger)) + " request from " +
                                request.requested_by);
  return {kRule, RuleResult::kWait,
          what + " (release the hold: DELETE " +
              release_hold_path(request.project_id, environment) + ")",
          "operator or admin", std::nullopt};
}

}  // namespace opz::governance
