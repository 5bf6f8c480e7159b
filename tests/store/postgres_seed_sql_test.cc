// The seeds' SQL runs verbatim on the PostgreSQL schema (issues 14 and 15): seed 000 §1.3
// (tables, row level security, functions), §2.2 step 5 (lock and role checks), §5.3 (the four
// dashboard metrics), §8.1 (stuck executions, the force-fail UPDATE, the approval status
// query); seed 003's "Seed Initial Data" and its verification queries. Each statement is the
// seed's text; only its <placeholders> / [PLACEHOLDERS] are replaced by the ids of rows the test
// made. Rows the seeds' queries read are inserted first, and the answers are checked.
//
// Needs a PostgreSQL server: OPZ_TEST_POSTGRES_URL (tests/support/postgres.sh start DIR prints
// one); skipped when unset. Each test migrates a database of its own, dropped afterwards.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <string>

#include "store/database.h"
#include "store/pg_session.h"
#include "support/postgres_test_database.h"

namespace opz::store {
namespace {

// `url` with its database name replaced by `db` (postgresql://user@host:port/NAME?options).
std::string with_database(const std::string& url, const std::string& db) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const size_t query = url.find('?');
  const std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  const std::string options = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + db + options;
}

// `text` with every `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

class PostgresSeedSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> url = opz::testing::postgres_test_url();
    if (!url) GTEST_SKIP() << "no PostgreSQL test server (OPZ_TEST_POSTGRES_URL/_DIR)";
    server_url_ = *url;
    name_ = "opz_seed_" + std::to_string(std::random_device{}());
    auto admin = PgSession::open(server_url_);
    ASSERT_TRUE(admin.ok()) << admin.error().to_string();
    ASSERT_TRUE((*admin)->exec_script("CREATE DATABASE " + name_).ok());
    auto db = Database::open_postgres({.url = with_database(server_url_, name_), .readers = 1});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    auto applied = db_->migrate();
    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  }

  void TearDown() override {
    if (name_.empty()) return;
    if (db_) db_->close();
    db_.reset();
    auto admin = PgSession::open(server_url_);
    if (admin.ok())
      (void)(*admin)->exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }

  // Runs one statement in its own write transaction.
  Rows query(const std::string& sql) {
    auto rows = db_->write([&](SqlSession& s) { return s.query(sql); });
    EXPECT_TRUE(rows.ok()) << rows.error().to_string() << "\n" << sql;
    return rows.ok() ? *rows : Rows{};
  }
  void script(const std::string& sql) {
    Status st = db_->write([&](SqlSession& s) { return s.exec_script(sql); });
    ASSERT_TRUE(st.ok()) << st.error().to_string() << "\n" << sql;
  }

  std::string server_url_;
  std::string name_;
  std::unique_ptr<Database> db_;
};

std::set<std::string> column(const Rows& rows, std::string_view name) {
  std::set<std::string> out;
  for (const Row& r : rows.rows) out.insert(r[name].as_text());
  return out;
}

// ----- seed 000 §1.3 Database Verification ----------------------------------

TEST_F(PostgresSeedSqlTest, Seed000TablesExistWithRowLevelSecurityAndTheFunctions) {
  Rows tables = query(R"sql(-- Verify all required tables exist
SELECT table_name 
FROM information_schema.tables 
WHERE table_schema = 'public'
ORDER BY table_name;)sql");
  const std::set<std::string> names = column(tables, "table_name");
  for (const char* t : {"profiles",          "user_roles",          "executions",
                        "execution_nodes",   "execution_logs",      "execution_state_events",
                        "approval_requests", "approval_votes",      "environment_locks",
                        "deployments",       "deployment_versions", "checkpoints",
                        "artifacts",         "audit_logs",          "notification_events",
                        "telemetry_signals", "connections",         "branch_mappings",
                        "github_tokens",     "flow_templates"})
    EXPECT_TRUE(names.count(t)) << t;
  EXPECT_EQ(tables[0]["table_name"].as_text(), "advisory_rule_settings");  // ordered

  Rows rls = query(R"sql(-- Verify RLS is enabled on all tables
SELECT tablename, rowsecurity 
FROM pg_tables 
WHERE schemaname = 'public';)sql");
  EXPECT_GE(rls.size(), 57u);  // 56 tables + schema_migrations
  for (const Row& r : rls.rows) EXPECT_EQ(r["rowsecurity"].as_int(), 1) << r["tablename"].as_text();

  Rows functions = query(R"sql(-- Verify required functions exist
SELECT proname 
FROM pg_proc 
WHERE pronamespace = 'public'::regnamespace;)sql");
  const std::set<std::string> procs = column(functions, "proname");
  EXPECT_TRUE(procs.count("has_role"));
  EXPECT_TRUE(procs.count("realtime_executions"));
}

// ----- seed 000 §2.2 step 5 Governance Checks --------------------------------

TEST_F(PostgresSeedSqlTest, Seed000GovernanceChecksReadTheLockAndTheCallersRole) {
  Rows lock = query(R"sql(-- Check environment lock status
SELECT is_locked, lock_reason, required_role, requires_approval
FROM environment_locks
WHERE environment = 'Production';)sql");
  ASSERT_EQ(lock.size(), 1u);  // the global default lock (000 §4.1)
  EXPECT_EQ(lock[0]["is_locked"].as_int(), 1);
  EXPECT_EQ(lock[0]["lock_reason"].as_text(), "Locked by default");
  EXPECT_EQ(lock[0]["required_role"].as_text(), "admin");
  EXPECT_EQ(lock[0]["requires_approval"].as_int(), 1);

  script(R"sql(
INSERT INTO profiles (id, email, created_at, updated_at)
VALUES ('u-op', 'op@example.com', now(), now()), ('u-view', 'view@example.com', now(), now());
INSERT INTO user_roles (id, user_id, role, created_at)
VALUES ('r1', 'u-op', 'operator', now()), ('r2', 'u-view', 'viewer', now());)sql");
  const std::string role_check = R"sql(-- Check user role authorization
SELECT public.has_role(auth.uid(), 'operator') OR 
       public.has_role(auth.uid(), 'admin');)sql";
  // auth.uid() is the request's JWT subject, as PostgREST sets it for the transaction.
  auto allowed = [&](const std::string& user) {
    auto rows = db_->write([&](SqlSession& s) -> Result<Rows> {
      if (!user.empty())
        OPZ_TRY_STATUS(s.exec_script("SET LOCAL request.jwt.claim.sub = '" + user + "'"));
      return s.query(role_check);
    });
    EXPECT_TRUE(rows.ok()) << rows.error().to_string();
    return rows.ok() ? (*rows)[0][0].as_int() : -1;
  };
  EXPECT_EQ(allowed("u-op"), 1);
  EXPECT_EQ(allowed("u-view"), 0);
  EXPECT_EQ(allowed(""), 0);  // no caller
}

// ----- seed 000 §5.3 Health Check Dashboard Metrics -------------------------

TEST_F(PostgresSeedSqlTest, Seed000DashboardMetricsCountWhatTheExecutionsHold) {
  script(R"sql(
INSERT INTO executions (id, name, status, started_at, completed_at, created_at, updated_at) VALUES
  ('x-ok-1', 'a', 'success', now() - interval '3 hours', now() - interval '3 hours' + interval '60 seconds', now(), now()),
  ('x-ok-2', 'b', 'success', now() - interval '2 hours', now() - interval '2 hours' + interval '120 seconds', now(), now()),
  ('x-run', 'c', 'running', now() - interval '30 hours', NULL, now(), now());
INSERT INTO approval_requests (id, execution_id, status, created_at, updated_at) VALUES
  ('ar-1', 'x-run', 'pending', now(), now()),
  ('ar-2', 'x-ok-1', 'pending', now(), now()),
  ('ar-3', 'x-ok-2', 'approved', now(), now());)sql");

  EXPECT_EQ(query("SELECT COUNT(*) FROM executions WHERE status = 'running'")[0][0].as_int(), 1);
  // Integer division as the seed writes it: 2 successes of the 2 started in the last 24 hours.
  EXPECT_EQ(query("SELECT COUNT(*) FILTER (WHERE status = 'success') / COUNT(*) FROM executions "
                  "WHERE started_at > now() - interval '24 hours'")[0][0]
                .as_int(),
            1);
  EXPECT_DOUBLE_EQ(query("SELECT AVG(EXTRACT(EPOCH FROM (completed_at - started_at))) FROM "
                         "executions WHERE status = 'success'")[0][0]
                       .as_real(),
                   90.0);
  EXPECT_EQ(query("SELECT COUNT(*) FROM approval_requests WHERE status = 'pending'")[0][0].as_int(),
            2);
}

// ----- seed 000 §8.1 Common Issues -------------------------------------------

TEST_F(PostgresSeedSqlTest, Seed000StuckExecutionsAreFoundAndForceFailed) {
  script(R"sql(
INSERT INTO executions (id, name, status, started_at, created_at, updated_at) VALUES
  ('x-stuck', 'stuck', 'running', now() - interval '45 minutes', now(), now()),
  ('x-fresh', 'fresh', 'running', now() - interval '5 minutes', now(), now());)sql");

  Rows stuck = query(R"sql(-- Check for stuck executions
SELECT id, name, status, started_at, 
       EXTRACT(EPOCH FROM (now() - started_at)) / 60 as minutes_running
FROM executions
WHERE status = 'running'
  AND started_at < now() - interval '30 minutes';)sql");
  ASSERT_EQ(stuck.size(), 1u);
  EXPECT_EQ(stuck[0]["id"].as_text(), "x-stuck");
  EXPECT_EQ(stuck[0]["name"].as_text(), "stuck");
  EXPECT_GE(stuck[0]["minutes_running"].as_real(), 45.0);
  EXPECT_EQ(stuck[0]["started_at"].as_text().size(), 24u);  // the store's ISO text

  const std::string force_fail = replaced(R"sql(-- Force update stuck execution
UPDATE executions
SET status = 'failed',
    completed_at = now(),
    blocked_reason = 'Timeout - manually terminated'
WHERE id = '<execution_id>';)sql",
                                          "<execution_id>", "x-stuck");
  auto changed = db_->write([&](SqlSession& s) { return s.exec(force_fail); });
  ASSERT_TRUE(changed.ok()) << changed.error().to_string();
  EXPECT_EQ(*changed, 1);

  Rows after =
      query("SELECT status, blocked_reason, completed_at FROM executions WHERE id = 'x-stuck'");
  EXPECT_EQ(after[0]["status"].as_text(), "failed");
  EXPECT_EQ(after[0]["blocked_reason"].as_text(), "Timeout - manually terminated");
  EXPECT_FALSE(after[0]["completed_at"].is_null());
  // The change reached the event log like any other.
  Rows event = query(
      "SELECT type, record->>'status' AS status, old->>'status' AS was FROM realtime_events "
      "WHERE record_id = 'x-stuck' ORDER BY id DESC LIMIT 1");
  ASSERT_EQ(event.size(), 1u);
  EXPECT_EQ(event[0]["type"].as_text(), "UPDATE");
  EXPECT_EQ(event[0]["status"].as_text(), "failed");
  EXPECT_EQ(event[0]["was"].as_text(), "running");
}

TEST_F(PostgresSeedSqlTest, Seed000ApprovalStatusCountsVotesAndApprovals) {
  script(R"sql(
INSERT INTO executions (id, name, status, created_at, updated_at)
VALUES ('x-gate', 'gate', 'paused', now(), now()), ('x-other', 'other', 'paused', now(), now());
INSERT INTO approval_requests (id, execution_id, node_id, status, required_approvals, created_at, updated_at)
VALUES ('ar-gate', 'x-gate', 'approve', 'pending', 2, now(), now()),
       ('ar-other', 'x-other', 'approve', 'pending', 1, now(), now());
INSERT INTO approval_votes (id, approval_request_id, user_id, vote, created_at) VALUES
  ('v1', 'ar-gate', 'u1', '1', now()), ('v2', 'ar-gate', 'u2', '1', now()),
  ('v3', 'ar-gate', 'u3', '0', now()), ('v4', 'ar-other', 'u1', '1', now());)sql");

  Rows status = query(replaced(R"sql(-- Check approval status
SELECT ar.*, 
       COUNT(av.id) as vote_count,
       SUM(CASE WHEN av.vote THEN 1 ELSE 0 END) as approvals
FROM approval_requests ar
LEFT JOIN approval_votes av ON ar.id = av.approval_request_id
WHERE ar.execution_id = '<execution_id>'
GROUP BY ar.id;)sql",
                               "<execution_id>", "x-gate"));
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0]["id"].as_text(), "ar-gate");
  EXPECT_EQ(status[0]["status"].as_text(), "pending");
  EXPECT_EQ(status[0]["required_approvals"].as_int(), 2);
  EXPECT_EQ(status[0]["vote_count"].as_int(), 3);
  EXPECT_EQ(status[0]["approvals"].as_int(), 2);
}

// ----- seed 003 ---------------------------------------------------------------

TEST_F(PostgresSeedSqlTest, Seed003InitialDataLandsInTheModelAndTheRpcsReturnIt) {
  Rows org = query(R"sql(-- Create test org
insert into registry.orgs (name) values ('InsightPulse AI')
returning id;)sql");
  ASSERT_EQ(org.size(), 1u);
  const std::string org_id = org[0]["id"].as_text();

  Rows project = query(replaced(R"sql(-- Create test project
insert into ops.projects (org_id, name, slug, repo_url, runtime_version)
values ('[ORG_ID]', 'Production ERP', 'prod-erp', 'github.com/insightpulseai/odoo', '19.0')
returning id;)sql",
                                "[ORG_ID]", org_id));
  ASSERT_EQ(project.size(), 1u);
  const std::string project_id = project[0]["id"].as_text();

  Rows branch = query(replaced(R"sql(-- Create production branch
insert into ops.branches (project_id, name, stage, is_production)
values ('[PROJECT_ID]', 'main', 'production', true)
returning id;)sql",
                               "[PROJECT_ID]", project_id));
  ASSERT_EQ(branch.size(), 1u);
  const std::string branch_id = branch[0]["id"].as_text();

  Rows build = query(replaced(replaced(R"sql(-- Create test build
insert into ops.builds (project_id, branch_id, status, trigger, commit_sha)
values ('[PROJECT_ID]', '[BRANCH_ID]', 'success', 'manual', 'abc123')
returning id;)sql",
                                       "[PROJECT_ID]", project_id),
                              "[BRANCH_ID]", branch_id));
  ASSERT_EQ(build.size(), 1u);

  // One source of truth: the rows are Opzenix's own organization, project, branch rule and
  // execution.
  Rows model = query(replaced(
      "SELECT o.slug, p.github_repo_url, p.runtime_version, bm.environment, x.status, "
      "x.commit_hash "
      "FROM projects p JOIN organizations o ON o.id = p.organization_id "
      "JOIN branch_mappings bm ON bm.project_id = p.id "
      "JOIN ops_run_queue q ON q.project_id = p.id JOIN executions x ON x.id = q.execution_id "
      "WHERE p.id = '[PROJECT_ID]'",
      "[PROJECT_ID]", project_id));
  ASSERT_EQ(model.size(), 1u);
  EXPECT_EQ(model[0]["slug"].as_text(), "insightpulse-ai");
  EXPECT_EQ(model[0]["github_repo_url"].as_text(), "github.com/insightpulseai/odoo");
  EXPECT_EQ(model[0]["runtime_version"].as_text(), "19.0");
  EXPECT_EQ(model[0]["environment"].as_text(), "Production");
  EXPECT_EQ(model[0]["status"].as_text(), "success");
  EXPECT_EQ(model[0]["commit_hash"].as_text(), "abc123");

  Rows projects = query(R"sql(-- Verify data
select * from ops.list_projects();)sql");
  ASSERT_EQ(projects.size(), 1u);
  EXPECT_EQ(projects[0]["id"].as_text(), project_id);
  EXPECT_EQ(projects[0]["org_id"].as_text(), org_id);
  EXPECT_EQ(projects[0]["name"].as_text(), "Production ERP");
  EXPECT_EQ(projects[0]["slug"].as_text(), "prod-erp");
  EXPECT_EQ(projects[0]["repo_url"].as_text(), "github.com/insightpulseai/odoo");
  EXPECT_EQ(projects[0]["runtime_version"].as_text(), "19.0");
  EXPECT_EQ(projects[0]["branch_count"].as_int(), 1);
  EXPECT_EQ(projects[0]["last_build_status"].as_text(), "success");

  Rows branches = query(
      replaced("select * from ops.project_branches('[PROJECT_ID]');", "[PROJECT_ID]", project_id));
  ASSERT_EQ(branches.size(), 1u);
  EXPECT_EQ(branches[0]["id"].as_text(), branch_id);
  EXPECT_EQ(branches[0]["name"].as_text(), "main");
  EXPECT_EQ(branches[0]["stage"].as_text(), "production");
  EXPECT_EQ(branches[0]["is_production"].as_int(), 1);
  EXPECT_EQ(branches[0]["last_build_status"].as_text(), "success");
}

TEST_F(PostgresSeedSqlTest, Seed003SchemaChecksRun) {
  EXPECT_EQ(query(R"sql(-- Check tables
select count(*) from information_schema.tables where table_schema = 'ops';)sql")[0][0]
                .as_int(),
            10);
  EXPECT_GE(query(R"sql(-- Check functions
select count(*) from information_schema.routines where routine_schema = 'ops';)sql")[0][0]
                .as_int(),
            2);  // list_projects, project_branches (and the insert triggers' functions)
  // Views carry no policies; the tables under them have RLS on.
  EXPECT_TRUE(query(R"sql(-- Check RLS policies
select schemaname, tablename, count(*) as policy_count
from pg_policies
where schemaname = 'ops'
group by schemaname, tablename;)sql")
                  .empty());
}

TEST_F(PostgresSeedSqlTest, Seed003QueuedBuildJoinsTheRunQueue) {
  script(R"sql(
INSERT INTO organizations (id, name, slug, created_at, updated_at) VALUES ('o1', 'O', 'o', now(), now());
INSERT INTO projects (id, organization_id, name, slug, default_branch, created_at, updated_at)
VALUES ('p1', 'o1', 'P', 'p', 'develop', now(), now());)sql");
  Rows build = query(
      "insert into ops.builds (project_id, commit_sha) values ('p1', 'def456') returning id, "
      "status");
  ASSERT_EQ(build.size(), 1u);
  EXPECT_EQ(build[0]["status"].as_text(), "queued");
  Rows queued =
      query("SELECT branch, status, commit_sha, execution_id FROM ops_run_queue WHERE id = '" +
            build[0]["id"].as_text() + "'");
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0]["branch"].as_text(), "develop");  // the project's default branch
  EXPECT_EQ(queued[0]["status"].as_text(), "queued");
  EXPECT_TRUE(queued[0]["execution_id"].is_null());

  auto running = db_->write([&](SqlSession& s) {
    return s.query(
        "insert into ops.builds (project_id, status) values ('p1', 'running') returning id");
  });
  EXPECT_FALSE(running.ok());  // a build runs only through the runner
}

}  // namespace
}  // namespace opz::store
