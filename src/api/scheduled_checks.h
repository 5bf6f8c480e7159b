// What the server runs on a schedule besides answering requests
// (app/background_checks.h): the advisory scan of every project and a check
// of every connection — the same code as POST /functions/v1/ops-advisory-scan
// and POST /api/v1/connections/{id}/check, so a scheduled run and a called
// one cannot disagree.
#pragma once

#include <cstdint>

#include "api/api_context.h"
#include "core/result.h"

namespace opz::api {

// Refreshes the rollups, then runs the advisory rules over every project;
// answers how many advisories were opened (de-duplicated while open).
Result<int64_t> run_advisory_scan(ApiContext& ctx);

// Checks every stored connection once and records each check in
// connection_health_events; answers how many were checked. A connection
// whose check cannot run at all (its secret cannot be opened) is logged and
// skipped: one broken row does not stop the others.
Result<int> check_all_connections(ApiContext& ctx);

}  // namespace opz::api
