// The advisory rules' settings in force (issue 13): the catalog's defaults
// (telemetry/advisory_rules.h) overridden by the stored global and
// per-project rows (store::AdvisoryStore, advisory_rule_settings). Shared by
// the advisory scan (advisory_scan.cc) and GET/PUT /api/v1/advisory-rules
// (advisory_rules_api.cc), so what the API shows is what the scan uses.
#pragma once

#include <string>
#include <vector>

#include "api/api_context.h"
#include "core/json.h"
#include "http/router.h"
#include "store/advisory_store.h"
#include "telemetry/advisory_rules.h"

namespace opz::api {

// Every catalog rule with the overrides of `rows` for `project_id` ("" =
// the global settings only) applied.
telemetry::AdvisoryThresholds effective_thresholds(
    const std::vector<store::AdvisoryRuleSettingRow>& rows, const std::string& project_id);

// {"rule","threshold","window_seconds","severity","enabled","source",
//  "input","metric","aggregate","comparison","unit","title"}
Json advisory_rule_json(const telemetry::AdvisoryRule& rule);

// GET /api/v1/advisory-rules and PUT /api/v1/advisory-rules/{rule}; called
// by register_ops_function_routes.
Status register_advisory_rule_routes(http::Router& router, ApiContext& ctx);

}  // namespace opz::api
