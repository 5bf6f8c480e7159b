#include "trigger/execution_request_json.h"

namespace opz::trigger {

namespace {

Result<std::string> text(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Error::validation(std::string(key) + " must be a string", key);
  return it->get<std::string>();
}

}  // namespace

Json to_json(const governance::ExecutionRequest& r) {
  Json j = {{"project_id", r.project_id},
            {"environment", r.environment},
            {"ref_kind", std::string(governance::to_string(r.ref_kind))},
            {"ref_name", r.ref_name},
            {"commit_sha", r.commit_sha},
            {"trigger", std::string(governance::to_string(r.trigger))},
            {"requested_by", r.requested_by},
            {"requester_role", r.requester_role ? Json(std::string(auth::to_string(*r.requester_role)))
                                                : Json(nullptr)},
            {"pusher_user_id", r.pusher_user_id ? Json(*r.pusher_user_id) : Json(nullptr)},
            {"delivery_id", r.delivery_id},
            {"trigger_key", r.trigger_key},
            {"ci_only", r.ci_only},
            {"override_freeze_reason", r.override_freeze_reason}};
  return j;
}

Result<governance::ExecutionRequest> execution_request_from_json(const Json& j) {
  if (!j.is_object()) return Error::validation("governance request must be an object", "");
  governance::ExecutionRequest r;
  OPZ_TRY(r.project_id, text(j, "project_id"));
  OPZ_TRY(r.environment, text(j, "environment"));
  OPZ_TRY(std::string ref_kind, text(j, "ref_kind"));
  OPZ_TRY(r.ref_kind, governance::parse_ref_kind(ref_kind));
  OPZ_TRY(r.ref_name, text(j, "ref_name"));
  OPZ_TRY(r.commit_sha, text(j, "commit_sha"));
  OPZ_TRY(std::string trigger, text(j, "trigger"));
  OPZ_TRY(r.trigger, governance::parse_trigger_kind(trigger));
  OPZ_TRY(r.requested_by, text(j, "requested_by"));
  OPZ_TRY(std::string role, text(j, "requester_role"));
  if (!role.empty()) {
    auto parsed = auth::parse_role(role);
    if (!parsed) return Error::validation("unknown role '" + role + "'", "requester_role");
    r.requester_role = *parsed;
  }
  OPZ_TRY(std::string pusher, text(j, "pusher_user_id"));
  if (!pusher.empty()) r.pusher_user_id = pusher;
  OPZ_TRY(r.delivery_id, text(j, "delivery_id"));
  OPZ_TRY(r.trigger_key, text(j, "trigger_key"));
  r.ci_only = j.value("ci_only", false);
  OPZ_TRY(r.override_freeze_reason, text(j, "override_freeze_reason"));
  return r;
}

}  // namespace opz::trigger
