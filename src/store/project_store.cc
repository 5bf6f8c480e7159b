#include "store/project_store.h"

#include <cctype>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/environment_store.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr std::string_view kOrgColumns = "id, name, slug, COALESCE(owner_id, '') AS owner_id, created_at, updated_at";
constexpr std::string_view kProjectColumns =
    "id, COALESCE(organization_id, '') AS organization_id, name, slug, "
    "COALESCE(description, '') AS description, COALESCE(github_repo_url, '') AS github_repo_url, "
    "COALESCE(git_url, '') AS git_url, COALESCE(poll_interval_seconds, 0) AS poll_interval_seconds, "
    "COALESCE(default_branch, '') AS default_branch, COALESCE(created_by, '') AS created_by, "
    "COALESCE(runtime_version, '') AS runtime_version, "
    "created_at, updated_at";

OrganizationRecord org_from_row(const Row& r) {
  return {r["id"].as_text(),       r["name"].as_text(),       r["slug"].as_text(),
          r["owner_id"].as_text(), r["created_at"].as_text(), r["updated_at"].as_text()};
}

ProjectRecord project_from_row(const Row& r) {
  ProjectRecord p;
  p.id = r["id"].as_text();
  p.organization_id = r["organization_id"].as_text();
  p.name = r["name"].as_text();
  p.slug = r["slug"].as_text();
  p.description = r["description"].as_text();
  p.github_repo_url = r["github_repo_url"].as_text();
  p.git_url = r["git_url"].as_text();
  p.poll_interval_seconds = r["poll_interval_seconds"].as_int();
  p.default_branch = r["default_branch"].as_text();
  p.created_by = r["created_by"].as_text();
  p.runtime_version = r["runtime_version"].as_text();
  p.created_at = r["created_at"].as_text();
  p.updated_at = r["updated_at"].as_text();
  return p;
}

Result<ProjectRecord> load_project(SqlSession& s, const std::string& id) {
  OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kProjectColumns) + " FROM projects WHERE id = $1", {id}));
  if (rows.empty()) return Error::not_found("no project with id " + id);
  return project_from_row(rows[0]);
}

Result<OrganizationRecord> load_org(SqlSession& s, const std::string& id_or_slug) {
  OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kOrgColumns) +
                                 " FROM organizations WHERE id = $1 OR slug = $1",
                             {id_or_slug}));
  if (rows.empty()) return Error::not_found("no organization '" + id_or_slug + "'");
  return org_from_row(rows[0]);
}

}  // namespace

std::string slugify(std::string_view name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
    if (out.size() >= 64) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

Result<OrganizationRecord> ProjectStore::create_organization(const std::string& name,
                                                             const std::string& slug,
                                                             const std::string& owner_id) {
  const std::string now = format_time(clock_.now());
  OrganizationRecord o{new_uuid(), name, slug, owner_id, now, now};
  return db_.write([&](SqlSession& s) -> Result<OrganizationRecord> {
    OPZ_TRY(Rows dup, s.query("SELECT id FROM organizations WHERE slug = $1", {slug}));
    if (!dup.empty()) return Error::conflict("organization slug '" + slug + "' is taken", "slug");
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO organizations (id, name, slug, owner_id, created_at, "
               "updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
               {o.id, name, slug, text_or_null(owner_id), now}));
    if (!owner_id.empty()) {
      OPZ_TRY_STATUS(s.exec("INSERT INTO organization_members (id, organization_id, user_id, role, "
                            "created_at) VALUES ($1, $2, $3, 'admin', $4)",
                            {new_uuid(), o.id, owner_id, now}));
    }
    return o;
  });
}

Result<OrganizationRecord> ProjectStore::find_organization(const std::string& id_or_slug) {
  return db_.read([&](SqlSession& s) { return load_org(s, id_or_slug); });
}

Result<Page<OrganizationRecord>> ProjectStore::list_organizations(const PageRequest& page) {
  return db_.read([&](SqlSession& s) -> Result<Page<OrganizationRecord>> {
    std::string sql = "SELECT " + std::string(kOrgColumns) + " FROM organizations WHERE 1 = 1";
    Params params;
    OPZ_TRY_STATUS(append_page_clause(page, sql, params));
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<OrganizationRecord>(rows, page.limit, org_from_row);
  });
}

Result<OrganizationRecord> ProjectStore::update_organization(const std::string& id,
                                                             const std::optional<std::string>& name) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<OrganizationRecord> {
    OPZ_TRY(OrganizationRecord o, load_org(s, id));
    if (name) {
      OPZ_TRY_STATUS(s.exec("UPDATE organizations SET name = $2, updated_at = $3 WHERE id = $1",
                            {o.id, *name, now}));
    }
    return load_org(s, o.id);
  });
}

Status ProjectStore::delete_organization(const std::string& id) {
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(OrganizationRecord o, load_org(s, id));
    OPZ_TRY(Rows n, s.query("SELECT COUNT(*) AS n FROM projects WHERE organization_id = $1", {o.id}));
    if (n[0]["n"].as_int() > 0)
      return Error::conflict("organization '" + o.slug + "' still has " +
                             std::to_string(n[0]["n"].as_int()) + " project(s); delete them first");
    OPZ_TRY_STATUS(s.exec("DELETE FROM organization_members WHERE organization_id = $1", {o.id}));
    OPZ_TRY_STATUS(s.exec("DELETE FROM organizations WHERE id = $1", {o.id}));
    return {};
  });
}

Result<MemberRecord> ProjectStore::add_member(const std::string& org_id, const std::string& user_id,
                                              const std::string& role) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<MemberRecord> {
    OPZ_TRY(OrganizationRecord o, load_org(s, org_id));
    OPZ_TRY(Rows u, s.query("SELECT email FROM profiles WHERE id = $1", {user_id}));
    if (u.empty()) return Error::validation("no user with id " + user_id, "user_id");
    MemberRecord m{new_uuid(), o.id, user_id, u[0]["email"].as_text(), role, now};
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO organization_members (id, organization_id, user_id, role, created_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, user_id) DO UPDATE SET "
        "role = excluded.role",
        {m.id, o.id, user_id, role, now}));
    OPZ_TRY(Rows back, s.query("SELECT id, created_at FROM organization_members WHERE "
                               "organization_id = $1 AND user_id = $2",
                               {o.id, user_id}));
    m.id = back[0]["id"].as_text();
    m.created_at = back[0]["created_at"].as_text();
    return m;
  });
}

Result<std::vector<MemberRecord>> ProjectStore::list_members(const std::string& org_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<MemberRecord>> {
    OPZ_TRY(OrganizationRecord o, load_org(s, org_id));
    OPZ_TRY(Rows rows, s.query("SELECT m.id, m.organization_id, m.user_id, p.email, m.role, "
                               "m.created_at FROM organization_members m JOIN profiles p ON "
                               "p.id = m.user_id WHERE m.organization_id = $1 ORDER BY p.email",
                               {o.id}));
    std::vector<MemberRecord> out;
    for (const Row& r : rows)
      out.push_back({r["id"].as_text(), r["organization_id"].as_text(), r["user_id"].as_text(),
                     r["email"].as_text(), r["role"].as_text(), r["created_at"].as_text()});
    return out;
  });
}

Status ProjectStore::remove_member(const std::string& org_id, const std::string& user_id) {
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(OrganizationRecord o, load_org(s, org_id));
    OPZ_TRY(int64_t n, s.exec("DELETE FROM organization_members WHERE organization_id = $1 AND "
                              "user_id = $2",
                              {o.id, user_id}));
    if (n == 0) return Error::not_found("user " + user_id + " is not a member");
    return {};
  });
}

Result<ProjectRecord> ProjectStore::create_project(const ProjectFields& f,
                                                   const std::string& created_by) {
  const std::string now = format_time(clock_.now());
  const std::string id = new_uuid();
  return db_.write([&](SqlSession& s) -> Result<ProjectRecord> {
    std::string org_id;
    if (f.organization_id && !f.organization_id->empty()) {
      OPZ_TRY(OrganizationRecord o, load_org(s, *f.organization_id));
      org_id = o.id;
    } else {
      // Projects without an organization go to the oldest one (the default org).
      OPZ_TRY(Rows rows, s.query("SELECT id FROM organizations ORDER BY created_at, id LIMIT 1"));
      if (rows.empty()) return Error::validation("no organization exists; create one first", "organization_id");
      org_id = rows[0]["id"].as_text();
    }
    const std::string slug = f.slug ? *f.slug : slugify(f.name.value_or(""));
    if (slug.empty()) return Error::validation("name must contain a letter or digit", "name");
    OPZ_TRY(Rows dup, s.query("SELECT id FROM projects WHERE organization_id = $1 AND slug = $2",
                              {org_id, slug}));
    if (!dup.empty())
      return Error::conflict("a project with slug '" + slug + "' exists in this organization", "slug");
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO projects (id, organization_id, name, slug, description, github_repo_url, "
        "git_url, poll_interval_seconds, default_branch, created_by, created_at, updated_at, "
        "runtime_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
        {id, org_id, f.name.value_or(""), slug, f.description, f.github_repo_url, f.git_url,
         f.poll_interval_seconds.value_or(0), f.default_branch.value_or("main"),
         text_or_null(created_by), now, text_or_null(f.runtime_version.value_or(""))}));
    OPZ_TRY_STATUS(insert_default_environments(s, id, now));  // 000 §4.1, issue 8
    return load_project(s, id);
  });
}

Result<ProjectRecord> ProjectStore::find_project(const std::string& id) {
  return db_.read([&](SqlSession& s) { return load_project(s, id); });
}

Result<Page<ProjectRecord>> ProjectStore::list_projects(const ProjectFilter& filter,
                                                        const PageRequest& page) {
  return db_.read([&](SqlSession& s) -> Result<Page<ProjectRecord>> {
    std::string sql = "SELECT " + std::string(kProjectColumns) + " FROM projects WHERE 1 = 1";
    Params params;
    auto next = [&] { return "$" + std::to_string(params.size()); };
    if (!filter.organization_id.empty()) {
      params.push_back(filter.organization_id);
      sql += " AND organization_id = " + next();
    }
    if (!filter.search.empty()) {
      params.push_back("%" + filter.search + "%");
      // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
      sql += " AND (lower(name) LIKE lower(" + next() + ") OR lower(slug) LIKE lower(" + next() +
             "))";
    }
    OPZ_TRY_STATUS(append_page_clause(page, sql, params));
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<ProjectRecord>(rows, page.limit, project_from_row);
  });
}

Result<ProjectRecord> ProjectStore::update_project(const std::string& id, const ProjectFields& f) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<ProjectRecord> {
    OPZ_TRY(ProjectRecord p, load_project(s, id));
    if (f.name) p.name = *f.name;
    if (f.description) p.description = *f.description;
    if (f.github_repo_url) p.github_repo_url = *f.github_repo_url;
    if (f.git_url) p.git_url = *f.git_url;
    if (f.poll_interval_seconds) p.poll_interval_seconds = *f.poll_interval_seconds;
    if (f.default_branch) p.default_branch = *f.default_branch;
    if (f.runtime_version) p.runtime_version = *f.runtime_version;
    if (f.slug && *f.slug != p.slug) {
      OPZ_TRY(Rows dup, s.query("SELECT id FROM projects WHERE organization_id = $1 AND slug = $2",
                                {p.organization_id, *f.slug}));
      if (!dup.empty()) return Error::conflict("slug '" + *f.slug + "' is taken", "slug");
      p.slug = *f.slug;
    }
    OPZ_TRY_STATUS(
        s.exec("UPDATE projects SET name = $2, slug = $3, description = $4, github_repo_url = $5, "
               "git_url = $6, poll_interval_seconds = $7, default_branch = $8, updated_at = $9, "
               "runtime_version = $10 WHERE id = $1",
               {p.id, p.name, p.slug, p.description, p.github_repo_url, p.git_url,
                p.poll_interval_seconds, p.default_branch, now, text_or_null(p.runtime_version)}));
    return load_project(s, p.id);
  });
}

Status ProjectStore::delete_project(const std::string& id) {
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(int64_t n, s.exec("DELETE FROM projects WHERE id = $1", {id}));
    if (n == 0) return Error::not_found("no project with id " + id);
    return {};
  });
}

Result<std::vector<ProjectRecord>> ProjectStore::list_polled_projects() {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ProjectRecord>> {
    OPZ_TRY(Rows rows, s.query("SELECT " + std::string(kProjectColumns) +
                               " FROM projects WHERE git_url IS NOT NULL AND git_url <> '' AND "
                               "poll_interval_seconds > 0 ORDER BY created_at, id"));
    std::vector<ProjectRecord> out;
    for (const Row& r : rows) out.push_back(project_from_row(r));
    return out;
  });
}

}  // namespace opz::store
