// JSON views of users, tokens, organizations and projects as the API shows
// them (never password hashes or token hashes).
#pragma once

#include "core/json.h"
#include "store/project_store.h"
#include "store/user_store.h"

namespace opz::api {

Json to_json(const store::UserRecord& u);
Json to_json(const store::ApiTokenRecord& t);
Json to_json(const store::OrganizationRecord& o);
Json to_json(const store::MemberRecord& m);
Json to_json(const store::ProjectRecord& p);

}  // namespace opz::api
