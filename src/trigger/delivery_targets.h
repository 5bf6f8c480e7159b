// DeliveryTargets: the projects one delivery is for. A delivery to the
// per-project URL is for that project alone; one to the by-repository URLs
// (/api/v1/webhooks/github, /functions/v1/github-webhook) is for EVERY
// project whose GitHub integration follows the payload's repository and whose
// own webhook secret verifies the body (a body signed with project A's secret
// never starts project B). Those left out are listed with the reason, so the
// delivery's outcome can say what happened to each.
//
// Stored with the delivery (in its kept-headers object, under kTargetsKey:
// no header GitHub sends has that name, and only the fixed list of headers
// is kept), so a delivery read back after a restart goes to the same
// projects without verifying the body again. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace opz::trigger {

inline constexpr std::string_view kTargetsKey = "opzenix_targets";

struct DeliveryTargets {
  // Verified and about this project's repository, in project id order.
  std::vector<std::string> project_ids;
  // "project <id>: <why it was left out>", one per project following the
  // repository that is not a target.
  std::vector<std::string> skipped;

  bool fan_out() const { return project_ids.size() > 1 || !skipped.empty(); }
  Json to_json() const;
  // From a stored delivery's headers; nullopt when it carries none (the
  // per-project URL, or a delivery stored before migration 024).
  static std::optional<DeliveryTargets> from_headers(const Json& headers);
};

}  // namespace opz::trigger
