// ProjectStore: organizations, their members, and projects (a repository that
// Opzenix delivers). Every mutation is one transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

struct OrganizationRecord {
  std::string id;
  std::string name;
  std::string slug;
  std::string owner_id;
  std::string created_at;
  std::string updated_at;
};

struct MemberRecord {
  std::string id;
  std::string organization_id;
  std::string user_id;
  std::string email;
  std::string role;
  std::string created_at;
};

struct ProjectRecord {
  std::string id;
  std::string organization_id;
  std::string name;
  std::string slug;
  std::string description;
  std::string github_repo_url;
  std::string git_url;
  int64_t poll_interval_seconds = 0;  // 0: no polling
  std::string default_branch;
  std::string runtime_version;  // seed 003's ops.projects.runtime_version ("19.0"); may be empty
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// Fields a create/update may set; unset optionals are left unchanged on update.
struct ProjectFields {
  std::optional<std::string> organization_id;
  std::optional<std::string> name;
  std::optional<std::string> slug;
  std::optional<std::string> description;
  std::optional<std::string> github_repo_url;
  std::optional<std::string> git_url;
  std::optional<int64_t> poll_interval_seconds;
  std::optional<std::string> default_branch;
  std::optional<std::string> runtime_version;  // "" clears it (stored as NULL)
};

struct ProjectFilter {
  std::string organization_id;  // empty: all
  std::string search;           // substring of name or slug (bound, never spliced)
};

class ProjectStore {
 public:
  ProjectStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<OrganizationRecord> create_organization(const std::string& name, const std::string& slug,
                                                 const std::string& owner_id);
  Result<OrganizationRecord> find_organization(const std::string& id_or_slug);
  Result<Page<OrganizationRecord>> list_organizations(const PageRequest& page);
  Result<OrganizationRecord> update_organization(const std::string& id,
                                                 const std::optional<std::string>& name);
  Status delete_organization(const std::string& id);  // kConflict while it has projects

  Result<MemberRecord> add_member(const std::string& org_id, const std::string& user_id,
                                  const std::string& role);
  Result<std::vector<MemberRecord>> list_members(const std::string& org_id);
  Status remove_member(const std::string& org_id, const std::string& user_id);

  Result<ProjectRecord> create_project(const ProjectFields& fields, const std::string& created_by);
  Result<ProjectRecord> find_project(const std::string& id);
  Result<Page<ProjectRecord>> list_projects(const ProjectFilter& filter, const PageRequest& page);
  Result<ProjectRecord> update_project(const std::string& id, const ProjectFields& fields);
  Status delete_project(const std::string& id);
  // Projects with a git_url and poll_interval_seconds > 0 (the git poller's work list).
  Result<std::vector<ProjectRecord>> list_polled_projects();

 private:
  Database& db_;
  const Clock& clock_;
};

// "My Project!" -> "my-project". Empty when nothing usable remains.
std::string slugify(std::string_view name);

}  // namespace opz::store
