#include "store/environment_store.h"

#include "core/ids.h"
#include "core/json.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kEnvironmentColumns =
    "e.id, e.project_id, e.name, e.position, e.requires_approval, e.required_approvals, "
    "e.required_role, e.reviewers, e.prevent_self_approval, e.wait_timer_seconds, "
    "e.restrict_refs, e.allowed_branches, e.allowed_tags, e.auto_deploy, "
    "e.approval_expiry_seconds, e.queue_mode, e.created_at, e.updated_at, "
    "l.id AS lock_id, l.is_locked, l.lock_reason, l.required_role AS lock_role, "
    "l.requires_approval AS lock_requires_approval, l.locked_by, l.locked_at, l.unlocked_by, "
    "l.unlocked_at, l.updated_at AS lock_updated_at";

constexpr const char* kFrom =
    " FROM project_environments e LEFT JOIN environment_locks l "
    "ON l.project_id = e.project_id AND l.environment = e.name";

// The SQL expression of a random version-4 UUID (rows made by INSERT ... SELECT).
constexpr const char* kSqlUuid =
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))";

std::vector<std::string> string_list(const std::string& text) {
  std::vector<std::string> out;
  auto j = parse_json(text);
  if (!j || !j->is_array()) return out;
  for (const Json& v : *j)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::vector<ReviewerRecord> reviewer_list(const std::string& text) {
  std::vector<ReviewerRecord> out;
  auto j = parse_json(text);
  if (!j || !j->is_array()) return out;
  for (const Json& v : *j) {
    if (!v.is_object()) continue;
    ReviewerRecord r;
    r.kind = v.value("kind", "user");
    r.id = v.value("id", "");
    out.push_back(std::move(r));
  }
  return out;
}

std::string reviewers_text(const std::vector<ReviewerRecord>& reviewers) {
  Json out = Json::array();
  for (const auto& r : reviewers) out.push_back(Json{{"kind", r.kind}, {"id", r.id}});
  return dump_json(out);
}

EnvironmentState environment_from_row(const Row& r) {
  EnvironmentState s;
  EnvironmentRecord& e = s.environment;
  e.id = r["id"].as_text();
  e.project_id = r["project_id"].as_text();
  e.name = r["name"].as_text();
  e.position = static_cast<int>(r["position"].as_int());
  e.requires_approval = r["requires_approval"].as_bool();
  e.required_approvals = static_cast<int>(r["required_approvals"].as_int());
  e.required_role = r["required_role"].as_text();
  e.reviewers = reviewer_list(r["reviewers"].as_text());
  e.prevent_self_approval = r["prevent_self_approval"].as_bool();
  e.wait_timer_seconds = r["wait_timer_seconds"].as_int();
  e.restrict_refs = r["restrict_refs"].as_bool();
  e.allowed_branches = string_list(r["allowed_branches"].as_text());
  e.allowed_tags = string_list(r["allowed_tags"].as_text());
  e.auto_deploy = r["auto_deploy"].as_bool();
  e.approval_expiry_seconds = r["approval_expiry_seconds"].as_int();
  e.queue_mode = r["queue_mode"].as_text();
  e.created_at = r["created_at"].as_text();
  e.updated_at = r["updated_at"].as_text();
  EnvironmentLockRecord& l = s.lock;
  l.id = r["lock_id"].as_text();
  l.project_id = e.project_id;
  l.environment = e.name;
  l.is_locked = r["is_locked"].as_bool();
  l.lock_reason = r["lock_reason"].as_text();
  l.required_role = r["lock_role"].as_text();
  l.requires_approval = r["lock_requires_approval"].as_bool();
  l.locked_by = r["locked_by"].as_text();
  l.locked_at = r["locked_at"].as_text();
  l.unlocked_by = r["unlocked_by"].as_text();
  l.unlocked_at = r["unlocked_at"].as_text();
  l.updated_at = r["lock_updated_at"].as_text();
  return s;
}

std::string lock_role(const EnvironmentRecord& e) {
  return e.required_role == "admin" ? "admin" : "operator";
}

// The name matches exactly: the column's own collation is binary on both
// dialects (only the unique index ignores case).
Result<EnvironmentState> find_in(SqlSession& s, const std::string& project_id,
                                 const std::string& name) {
  OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kEnvironmentColumns + kFrom +
                                 " WHERE e.project_id = $1 AND e.name = $2",
                             {project_id, name}));
  if (rows.empty())
    return Error::not_found("no environment named '" + name + "' in project " + project_id);
  return environment_from_row(rows[0]);
}

Status require_project(SqlSession& s, const std::string& project_id) {
  OPZ_TRY(Rows rows, s.query("SELECT id FROM projects WHERE id = $1", {project_id}));
  if (rows.empty()) return Error::not_found("no project with id " + project_id);
  return {};
}

// Creates the lock row of an environment when it has none (rows made before
// the environment existed are kept), keeping its role and approval in step.
Status upsert_lock_row(SqlSession& s, const EnvironmentRecord& e, const std::string& now) {
  OPZ_TRY_STATUS(s.exec(
      "INSERT INTO environment_locks (id, project_id, environment, is_locked, required_role, "
      "requires_approval, created_at, updated_at) VALUES ($1, $2, $3, FALSE, $4, $5, $6, $6) "
      "ON CONFLICT (project_id, environment) DO UPDATE SET required_role = excluded.required_role, "
      "requires_approval = excluded.requires_approval, updated_at = excluded.updated_at",
      {new_uuid(), e.project_id, e.name, lock_role(e), e.requires_approval, now}));
  return {};
}

Status run_also(SqlSession& s, const EnvironmentAlso& also, const EnvironmentState& after) {
  if (!also) return {};
  return also(s, after);
}

Error name_conflict(const Error& e, const std::string& name) {
  if (e.is_conflict())
    return Error::conflict(
        "an environment named '" + name + "' (ignoring case) exists in this project", "name");
  return e;
}

}  // namespace

Result<std::vector<EnvironmentState>> load_environments(SqlSession& s,
                                                        const std::string& project_id) {
  OPZ_TRY_STATUS(require_project(s, project_id));
  OPZ_TRY(Rows rows, s.query(std::string("SELECT ") + kEnvironmentColumns + kFrom +
                                 " WHERE e.project_id = $1 ORDER BY e.position, e.name",
                             {project_id}));
  std::vector<EnvironmentState> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(environment_from_row(r));
  return out;
}

Status insert_default_environments(SqlSession& s, const std::string& project_id,
                                   const std::string& now) {
  // PostgreSQL: the same two statements, as a function of the schema
  // (migrations/postgres/001_initial.sql; SQLite's json_each has no twin).
  if (s.dialect() == "postgres") {
    OPZ_TRY(Rows done,
            s.query("SELECT opz_insert_default_environments($1, $2)", {project_id, now}));
    (void)done;
    return {};
  }
  OPZ_TRY_STATUS(s.exec(
      std::string(
          "INSERT INTO project_environments (id, project_id, name, position, requires_approval, "
          "required_approvals, required_role, prevent_self_approval, wait_timer_seconds, "
          "restrict_refs, allowed_branches, allowed_tags, auto_deploy, created_at, updated_at) "
          "SELECT ") +
          kSqlUuid +
          ", $1, e.name, (SELECT count(*) FROM environments o WHERE o.position < e.position OR "
          "(o.position = e.position AND o.name < e.name)), e.requires_approval, "
          "e.required_approvals, CASE WHEN EXISTS (SELECT 1 FROM json_each(e.allowed_roles) "
          "WHERE value = 'viewer') THEN 'viewer' WHEN EXISTS (SELECT 1 FROM "
          "json_each(e.allowed_roles) WHERE value = 'operator') THEN 'operator' ELSE 'admin' END, "
          "1, e.wait_timer_seconds, json_array_length(e.deployment_branches) > 0, "
          "(SELECT json_group_array(value) FROM json_each(e.deployment_branches) WHERE NOT "
          "(value LIKE 'v%' AND instr(value, '*') > 0)), (SELECT json_group_array(value) FROM "
          "json_each(e.deployment_branches) WHERE value LIKE 'v%' AND instr(value, '*') > 0), "
          "e.auto_deploy, $2, $2 FROM environments e",
      {project_id, now}));
  OPZ_TRY_STATUS(s.exec(
      std::string("INSERT INTO environment_locks (id, project_id, environment, is_locked, "
                  "lock_reason, required_role, requires_approval, created_at, updated_at) "
                  "SELECT ") +
          kSqlUuid +
          ", pe.project_id, pe.name, e.lock_default, CASE WHEN e.lock_default = 1 THEN "
          "'Locked by default (000 §4.1): unlock to deploy' END, CASE WHEN pe.required_role = "
          "'admin' THEN 'admin' ELSE 'operator' END, pe.requires_approval, $2, $2 "
          "FROM project_environments pe JOIN environments e ON e.name = pe.name "
          "WHERE pe.project_id = $1 ON CONFLICT (project_id, environment) DO UPDATE SET "
          "required_role = excluded.required_role, requires_approval = excluded.requires_approval",
      {project_id, now}));
  return {};
}

Result<std::vector<EnvironmentState>> EnvironmentStore::load(const std::string& project_id) {
  return db_.read([&](SqlSession& s) { return load_environments(s, project_id); });
}

Result<EnvironmentState> EnvironmentStore::find(const std::string& project_id,
                                                const std::string& name) {
  return db_.read([&](SqlSession& s) -> Result<EnvironmentState> {
    OPZ_TRY_STATUS(require_project(s, project_id));
    return find_in(s, project_id, name);
  });
}

Result<EnvironmentState> EnvironmentStore::create(const std::string& project_id,
                                                  EnvironmentRecord env,
                                                  const EnvironmentAlso& also) {
  const std::string now = format_time(clock_.now());
  env.id = new_uuid();
  env.project_id = project_id;
  env.created_at = env.updated_at = now;
  return db_.write([&](SqlSession& s) -> Result<EnvironmentState> {
    OPZ_TRY_STATUS(require_project(s, project_id));
    if (env.position < 0) {
      OPZ_TRY(Rows last, s.query("SELECT coalesce(max(position) + 1, 0) AS next FROM "
                                 "project_environments WHERE project_id = $1",
                                 {project_id}));
      env.position = static_cast<int>(last[0]["next"].as_int());
    }
    auto inserted = s.exec(
        "INSERT INTO project_environments (id, project_id, name, position, requires_approval, "
        "required_approvals, required_role, reviewers, prevent_self_approval, "
        "wait_timer_seconds, restrict_refs, allowed_branches, allowed_tags, auto_deploy, "
        "approval_expiry_seconds, queue_mode, created_at, updated_at) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
        {env.id, env.project_id, env.name, env.position, env.requires_approval,
         env.required_approvals, env.required_role, reviewers_text(env.reviewers),
         env.prevent_self_approval, env.wait_timer_seconds, env.restrict_refs,
         dump_json(Json(env.allowed_branches)), dump_json(Json(env.allowed_tags)), env.auto_deploy,
         env.approval_expiry_seconds, env.queue_mode, now});
    if (!inserted) return name_conflict(inserted.error(), env.name);
    OPZ_TRY_STATUS(upsert_lock_row(s, env, now));
    OPZ_TRY(EnvironmentState after, find_in(s, project_id, env.name));
    OPZ_TRY_STATUS(run_also(s, also, after));
    return after;
  });
}

Result<EnvironmentState> EnvironmentStore::update(
    const std::string& project_id, const std::string& name,
    const std::function<Status(EnvironmentRecord&)>& edit, const EnvironmentAlso& also) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<EnvironmentState> {
    OPZ_TRY_STATUS(require_project(s, project_id));
    OPZ_TRY(EnvironmentState before, find_in(s, project_id, name));
    EnvironmentRecord env = before.environment;
    OPZ_TRY_STATUS(edit(env));
    env.id = before.environment.id;
    env.project_id = project_id;
    auto updated = s.exec(
        "UPDATE project_environments SET name = $2, position = $3, requires_approval = $4, "
        "required_approvals = $5, required_role = $6, reviewers = $7, "
        "prevent_self_approval = $8, wait_timer_seconds = $9, restrict_refs = $10, "
        "allowed_branches = $11, allowed_tags = $12, auto_deploy = $13, "
        "approval_expiry_seconds = $14, queue_mode = $15, updated_at = $16 WHERE id = $1",
        {env.id, env.name, env.position, env.requires_approval, env.required_approvals,
         env.required_role, reviewers_text(env.reviewers), env.prevent_self_approval,
         env.wait_timer_seconds, env.restrict_refs, dump_json(Json(env.allowed_branches)),
         dump_json(Json(env.allowed_tags)), env.auto_deploy, env.approval_expiry_seconds,
         env.queue_mode, now});
    if (!updated) return name_conflict(updated.error(), env.name);
    if (env.name != name) {
      OPZ_TRY_STATUS(
          s.exec("UPDATE environment_locks SET environment = $3, updated_at = $4 "
                 "WHERE project_id = $1 AND environment = $2",
                 {project_id, name, env.name, now}));
      OPZ_TRY_STATUS(
          s.exec("UPDATE freeze_windows SET environment = $3 "
                 "WHERE project_id = $1 AND environment = $2",
                 {project_id, name, env.name}));
    }
    OPZ_TRY_STATUS(upsert_lock_row(s, env, now));
    OPZ_TRY(EnvironmentState after, find_in(s, project_id, env.name));
    OPZ_TRY_STATUS(run_also(s, also, after));
    return after;
  });
}

Result<EnvironmentState> EnvironmentStore::lock(const std::string& project_id,
                                                const std::string& name, const std::string& reason,
                                                const std::string& user_id,
                                                const EnvironmentCheck& check,
                                                const EnvironmentAlso& also) {
  if (reason.empty()) return Error::validation("a lock needs a reason", "reason");
  return set_lock(project_id, name, true, reason, user_id, check, also);
}

Result<EnvironmentState> EnvironmentStore::unlock(const std::string& project_id,
                                                  const std::string& name,
                                                  const std::string& user_id,
                                                  const EnvironmentCheck& check,
                                                  const EnvironmentAlso& also) {
  return set_lock(project_id, name, false, "", user_id, check, also);
}

Result<EnvironmentState> EnvironmentStore::set_lock(
    const std::string& project_id, const std::string& name, bool locked, const std::string& reason,
    const std::string& user_id, const EnvironmentCheck& check, const EnvironmentAlso& also) {
  const std::string now = format_time(clock_.now());
  const SqlValue user = text_or_null(user_id);
  return db_.write([&](SqlSession& s) -> Result<EnvironmentState> {
    OPZ_TRY_STATUS(require_project(s, project_id));
    OPZ_TRY(EnvironmentState before, find_in(s, project_id, name));
    if (check) OPZ_TRY_STATUS(check(before));
    OPZ_TRY_STATUS(upsert_lock_row(s, before.environment, now));
    if (locked) {
      OPZ_TRY_STATUS(
          s.exec("UPDATE environment_locks SET is_locked = TRUE, lock_reason = $3, "
                 "locked_by = $4, locked_at = $5, updated_at = $5 "
                 "WHERE project_id = $1 AND environment = $2",
                 {project_id, name, reason, user, now}));
    } else {
      OPZ_TRY_STATUS(
          s.exec("UPDATE environment_locks SET is_locked = FALSE, lock_reason = NULL, "
                 "unlocked_by = $3, unlocked_at = $4, updated_at = $4 "
                 "WHERE project_id = $1 AND environment = $2",
                 {project_id, name, user, now}));
    }
    OPZ_TRY(EnvironmentState after, find_in(s, project_id, name));
    OPZ_TRY_STATUS(run_also(s, also, after));
    return after;
  });
}

}  // namespace opz::store
