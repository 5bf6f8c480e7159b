// The JSON form of an AdmissionDecision, as GET /api/v1/executions/{id}/
// governance returns it and the store keeps it next to governance_status:
//   {"status": "waiting", "blocked_reason": "", "wait_until": "...Z" | null,
//    "freeze_overridden": false,
//    "rules": [{"rule", "result", "reason", "unblock_by", "ends_at"}...],
//    "queue": {"verdict", "waits_for", "position", "superseded_by",
//              "supersedes"} | null}
// Times are core/time_format.h UTC text. Kept apart from admission.h so the
// rules themselves never see nlohmann types. Pure; thread-safe.
#pragma once

#include "core/json.h"
#include "governance/admission.h"

namespace opz::governance {

Json explanation_json(const AdmissionDecision& decision);

}  // namespace opz::governance
