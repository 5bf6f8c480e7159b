#include "api/user_json.h"
#include "core/json_optional.h"

namespace opz::api {

namespace {
}  // namespace

Json to_json(const store::UserRecord& u) {
  return Json{{"id", u.id}, {"email", u.email}, {"full_name", u.full_name}, {"role", u.role},
              {"created_at", u.created_at}};
}

Json to_json(const store::ApiTokenRecord& t) {
  return Json{{"id", t.id},
              {"name", t.name},
              {"token_prefix", t.token_prefix},
              {"created_at", t.created_at},
              {"last_used_at", value_or_null(t.last_used_at)},
              {"expires_at", value_or_null(t.expires_at)},
              {"revoked_at", value_or_null(t.revoked_at)}};
}

Json to_json(const store::OrganizationRecord& o) {
  return Json{{"id", o.id},
              {"name", o.name},
              {"slug", o.slug},
              {"owner_id", string_or_null(o.owner_id)},
              {"created_at", o.created_at},
              {"updated_at", o.updated_at}};
}

Json to_json(const store::MemberRecord& m) {
  return Json{{"id", m.id},           {"organization_id", m.organization_id},
              {"user_id", m.user_id}, {"email", m.email},
              {"role", m.role},       {"created_at", m.created_at}};
}

// Assigned key by key: the initializer-list form copies every value twice,
// which showed in profiles of the projects list.
Json to_json(const store::ProjectRecord& p) {
  Json j = Json::object();
  j["id"] = p.id;
  j["organization_id"] = p.organization_id;
  j["name"] = p.name;
  j["slug"] = p.slug;
  j["description"] = p.description;
  j["github_repo_url"] = string_or_null(p.github_repo_url);
  j["git_url"] = string_or_null(p.git_url);
  j["poll_interval_seconds"] = p.poll_interval_seconds;
  j["default_branch"] = p.default_branch;
  j["runtime_version"] = string_or_null(p.runtime_version);
  j["created_by"] = string_or_null(p.created_by);
  j["created_at"] = p.created_at;
  j["updated_at"] = p.updated_at;
  return j;
}

}  // namespace opz::api
