// Tests of the schema that 001_initial (and later migrations) create.
#include "store/migrations.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/sqlite_database.h"
#include "support/temp_dir.h"

namespace opz::store {
namespace {

// The seeds' names (004 "Database Schema", 000) plus Opzenix's own tables: a contract.
const std::map<std::string, std::vector<std::string>>& expected_columns() {
  static const std::map<std::string, std::vector<std::string>> kTables = {
      {"profiles",
       {"id", "email", "full_name", "avatar_url", "password_hash", "created_at", "updated_at"}},
      {"user_roles", {"id", "user_id", "role", "created_at"}},
      {"user_preferences",
       {"id", "user_id", "default_mode", "ui_preferences", "created_at", "updated_at"}},
      {"sessions", {"id", "user_id", "token_hash", "created_at", "expires_at", "last_used_at"}},
      {"api_tokens",
       {"id", "user_id", "name", "token_hash", "token_prefix", "created_at", "last_used_at",
        "expires_at", "revoked_at"}},
      {"organizations", {"id", "name", "slug", "owner_id", "created_at", "updated_at"}},
      {"organization_members", {"id", "organization_id", "user_id", "role", "created_at"}},
      {"projects",
       {"id", "organization_id", "name", "slug", "description", "github_repo_url", "git_url",
        "poll_interval_seconds", "default_branch", "created_by", "created_at", "updated_at"}},
      {"environments",
       {"id", "name", "position", "requires_approval", "required_approvals", "lock_default",
        "allowed_roles", "auto_deploy", "wait_timer_seconds", "deployment_branches", "created_at",
        "updated_at"}},
      {"environment_configs",
       {"id", "project_id", "environment", "variables", "secrets_ref", "created_at", "updated_at"}},
      {"environment_locks",
       {"id", "project_id", "environment", "is_locked", "lock_reason", "required_role",
        "requires_approval", "locked_by", "locked_at", "unlocked_by", "unlocked_at", "created_at",
        "updated_at"}},
      {"flow_templates",
       {"id", "project_id", "name", "description", "type", "nodes", "edges", "created_by",
        "created_at", "updated_at"}},
      {"pipeline_templates",
       {"id", "name", "description", "category", "nodes", "edges", "popularity", "tags",
        "created_at", "updated_at"}},
      {"executions",
       {"id",
        "name",
        "project_id",
        "flow_template_id",
        "pipeline",
        "status",
        "environment",
        "branch",
        "commit_hash",
        "progress",
        "governance_status",
        "blocked_reason",
        "started_by",
        "trigger_type",
        "parent_execution_id",
        "rerun_checkpoint_id",
        "cancel_reason",
        "metadata",
        "started_at",
        "completed_at",
        "created_at",
        "updated_at"}},
      {"execution_nodes", {"id",           "execution_id", "node_id",         "name",
                           "type",         "status",       "attempt",         "max_attempts",
                           "exit_code",    "signal",       "error",           "outputs",
                           "logs",         "log_bytes",    "log_truncated",   "started_at",
                           "completed_at", "duration_ms",  "next_attempt_at", "created_at",
                           "updated_at"}},
      {"execution_logs",
       {"id", "execution_id", "node_id", "attempt", "stream", "level", "message", "created_at"}},
      {"execution_state_events",
       {"id", "execution_id", "node_id", "old_state", "new_state", "reason", "created_at"}},
      {"checkpoints", {"id", "execution_id", "node_id", "name", "state", "created_at"}},
      {"artifacts",
       {"id", "name", "execution_id", "node_id", "image_digest", "image_tag", "registry_url",
        "type", "size_bytes", "metadata", "created_at"}},
      {"approval_requests",
       {"id", "execution_id", "node_id", "environment", "status", "required_approvals",
        "requested_by", "title", "description", "wait_until", "resolved_at", "created_at",
        "updated_at"}},
      {"approval_votes", {"id", "approval_request_id", "user_id", "vote", "comment", "created_at"}},
      {"deployments",
       {"id", "execution_id", "project_id", "environment", "version", "status", "strategy",
        "deployed_by", "deployed_at", "rollback_of", "reason", "created_at", "updated_at"}},
      {"deployment_versions",
       {"id", "project_id", "deployment_id", "environment", "version_tag", "commit_sha",
        "image_tag", "artifact_id", "is_current", "created_at"}},
      {"connections",
       {"id", "type", "name", "status", "config", "validated", "last_validated_at", "created_by",
        "created_at", "updated_at"}},
      {"connection_health_events",
       {"id", "connection_id", "status", "response_time_ms", "message", "created_at"}},
      {"github_integrations",
       {"id", "project_id", "repository_owner", "repository_name", "webhook_secret_encrypted",
        "token_encrypted", "workflow_file", "api_base_url", "created_by", "created_at",
        "updated_at"}},
      {"github_tokens", {"id", "user_id", "encrypted_token", "scopes", "created_at"}},
      {"branch_mappings",
       {"id", "project_id", "position", "branch_pattern", "ref_type", "environment",
        "is_deployable", "image_tag_template", "replicas", "created_at", "updated_at"}},
      {"webhook_deliveries",
       {"id", "delivery_guid", "project_id", "event", "action", "signature_valid", "headers",
        "body_bytes", "received_at", "processed_at", "outcome", "outcome_reason", "execution_id",
        "replay_of"}},
      {"webhook_delivery_bodies", {"delivery_id", "body"}},
      {"git_poll_refs", {"project_id", "ref", "last_sha", "updated_at"}},
      {"commit_status_reports",
       {"id", "project_id", "execution_id", "commit_sha", "state", "target_url", "description",
        "context", "attempts", "next_attempt_at", "last_error", "delivered_at", "created_at"}},
      {"telemetry_signals",
       {"id", "signal_type", "execution_id", "node_id", "otel_trace_id", "otel_span_id",
        "duration_ms", "status_code", "severity", "environment", "payload", "created_at"}},
      {"audit_logs",
       {"id", "action", "resource_type", "resource_id", "user_id", "details", "ip_address",
        "created_at", "seq", "user_agent", "prev_hash", "hash"}},
      {"widget_metrics",
       {"id", "widget_type", "metric_name", "metric_value", "dimensions", "recorded_at"}},
      {"dashboard_layouts",
       {"id", "user_id", "name", "layout", "is_default", "created_at", "updated_at"}},
      {"notification_events", {"id", "type", "target", "payload", "read_at", "created_at"}},
      {"secret_references",
       {"id", "ref_key", "provider", "scope", "description", "created_at", "updated_at"}},
  };
  return kTables;
}

constexpr const char* kNow = "2024-01-15T10:30:00.123Z";

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DatabaseOptions options;
    options.path = dir_.str() + "/schema.db";
    options.readers = 2;
    auto db = Database::open_sqlite(options);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    auto applied = db_->migrate();
    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  }

  Result<Rows> q(const std::string& sql, const Params& params = {}) {
    return db_->read([&](SqlSession& s) { return s.query(sql, params); });
  }
  Result<int64_t> x(const std::string& sql, const Params& params = {}) {
    return db_->write([&](SqlSession& s) { return s.exec(sql, params); });
  }

  // A user, a project and an execution to hang other rows on.
  void seed_parents() {
    ASSERT_TRUE(x("INSERT INTO profiles (id, email, created_at, updated_at) "
                  "VALUES ('u1', 'Ann@Example.com', $1, $1)",
                  {kNow})
                    .ok());
    ASSERT_TRUE(x("INSERT INTO projects (id, name, slug, created_at, updated_at) "
                  "VALUES ('p1', 'Shop', 'shop', $1, $1)",
                  {kNow})
                    .ok());
    auto e =
        x("INSERT INTO executions (id, name, project_id, created_at, updated_at) "
          "VALUES ('e1', 'Deploy', 'p1', $1, $1)",
          {kNow});
    ASSERT_TRUE(e.ok()) << e.error().to_string();
  }

  opz::testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SchemaTest, EveryTableAndColumnOfTheContractExists) {
  auto tables = q("SELECT name FROM sqlite_master WHERE type = 'table'");
  ASSERT_TRUE(tables.ok());
  std::set<std::string> present;
  for (const Row& r : *tables) present.insert(r["name"].as_text());
  EXPECT_TRUE(present.count("schema_migrations"));
  for (const auto& [table, columns] : expected_columns()) {
    ASSERT_TRUE(present.count(table)) << "missing table " << table;
    auto info = q("SELECT name FROM pragma_table_info($1)", {table});
    ASSERT_TRUE(info.ok());
    std::set<std::string> have;
    for (const Row& r : *info) have.insert(r["name"].as_text());
    for (const std::string& c : columns) EXPECT_TRUE(have.count(c)) << table << "." << c;
  }
  EXPECT_EQ(expected_columns().size(), 38u);
}

TEST_F(SchemaTest, SchemaIsConsistent) {
  auto integrity = q("PRAGMA integrity_check");
  ASSERT_TRUE(integrity.ok());
  EXPECT_EQ((*integrity)[0][size_t{0}].as_text(), "ok");
  auto fk = q("PRAGMA foreign_key_check");
  ASSERT_TRUE(fk.ok());
  EXPECT_TRUE(fk->empty());
}

TEST_F(SchemaTest, SeededEnvironmentsFollowTheSeedRules) {
  auto rows = q("SELECT * FROM environments ORDER BY position");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  const std::vector<std::string> names = {"Development", "Staging", "PreProd", "Production"};
  const std::vector<int> approvals = {0, 0, 1, 2};
  const std::vector<int> locked = {0, 0, 1, 1};
  const std::vector<int> auto_deploy = {1, 1, 0, 0};
  const std::vector<std::string> roles = {"[\"admin\",\"operator\",\"viewer\"]",
                                          "[\"admin\",\"operator\"]", "[\"admin\",\"operator\"]",
                                          "[\"admin\"]"};
  for (size_t i = 0; i < 4; ++i) {
    const Row& r = (*rows)[i];
    EXPECT_EQ(r["name"].as_text(), names[i]);
    EXPECT_EQ(r["required_approvals"].as_int(), approvals[i]) << names[i];
    EXPECT_EQ(r["requires_approval"].as_int(), approvals[i] > 0 ? 1 : 0) << names[i];
    EXPECT_EQ(r["lock_default"].as_int(), locked[i]) << names[i];
    EXPECT_EQ(r["auto_deploy"].as_int(), auto_deploy[i]) << names[i];
    EXPECT_EQ(r["allowed_roles"].as_text(), roles[i]) << names[i];
  }
  EXPECT_EQ((*rows)[3]["wait_timer_seconds"].as_int(), 300);
  EXPECT_EQ((*rows)[3]["deployment_branches"].as_text(), "[\"main\",\"master\",\"v*\"]");
  EXPECT_EQ((*rows)[1]["wait_timer_seconds"].as_int(), 0);
}

TEST_F(SchemaTest, SeededLocksMatchTheEnvironmentDefaults) {
  auto rows =
      q("SELECT l.* FROM environment_locks l JOIN environments e "
        "ON e.name = l.environment ORDER BY e.position");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  const std::vector<int> locked = {0, 0, 1, 1};
  const std::vector<std::string> role = {"operator", "operator", "operator", "admin"};
  for (size_t i = 0; i < 4; ++i) {
    const Row& r = (*rows)[i];
    EXPECT_TRUE(r["project_id"].is_null());
    EXPECT_EQ(r["is_locked"].as_int(), locked[i]) << r["environment"].as_text();
    EXPECT_EQ(r["required_role"].as_text(), role[i]) << r["environment"].as_text();
    EXPECT_EQ(r["requires_approval"].as_int(), locked[i]) << r["environment"].as_text();
  }
  EXPECT_EQ((*rows)[3]["environment"].as_text(), "Production");
}

TEST_F(SchemaTest, SeededBranchMappingsKeepTheSeedOrder) {
  auto rows = q("SELECT * FROM branch_mappings WHERE project_id IS NULL ORDER BY position, id");
  ASSERT_TRUE(rows.ok());
  struct Expected {
    const char* pattern;
    const char* ref_type;
    const char* environment;
    int deployable;
    const char* tag;
    int replicas;
  };
  const std::vector<Expected> expected = {
      {"main", "branch", "Production", 1, "prod-{sha7}", 3},
      {"master", "branch", "Production", 1, "prod-{sha7}", 3},
      {"release/*", "branch", "PreProd", 1, "preprod-{sha7}", 2},
      {"staging", "branch", "Staging", 1, "staging-{sha7}", 2},
      {"develop", "branch", "Development", 1, "dev-{sha7}", 1},
      {"feature/*", "branch", "Development", 0, "dev-{sha7}", 1},
      {"v*", "tag", "Production", 1, "{tag}", 3},
  };
  ASSERT_EQ(rows->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Row& r = (*rows)[i];
    EXPECT_EQ(r["branch_pattern"].as_text(), expected[i].pattern);
    EXPECT_EQ(r["ref_type"].as_text(), expected[i].ref_type);
    EXPECT_EQ(r["environment"].as_text(), expected[i].environment);
    EXPECT_EQ(r["is_deployable"].as_int(), expected[i].deployable);
    EXPECT_EQ(r["image_tag_template"].as_text(), expected[i].tag);
    EXPECT_EQ(r["replicas"].as_int(), expected[i].replicas);
  }
}

TEST_F(SchemaTest, SeededRowsHaveUuidIdsAndStoreTimes) {
  for (const char* table : {"environments", "environment_locks", "branch_mappings"}) {
    auto rows = q(std::string("SELECT id, created_at, updated_at FROM ") + table);
    ASSERT_TRUE(rows.ok());
    ASSERT_FALSE(rows->empty());
    for (const Row& r : *rows) {
      EXPECT_TRUE(is_uuid(r["id"].as_text())) << table << " " << r["id"].as_text();
      const std::string created = r["created_at"].as_text();
      ASSERT_TRUE(parse_time(created).ok()) << created;
      EXPECT_EQ(created, format_time(*parse_time(created)));  // exactly the store format
    }
  }
}

TEST_F(SchemaTest, ChecksRejectBadEnumsBooleansAndJson) {
  seed_parents();
  const std::vector<std::pair<std::string, Params>> bad = {
      {"INSERT INTO user_roles (id, user_id, role, created_at) VALUES ('r', 'u1', $1, $2)",
       {"superuser", kNow}},
      {"UPDATE executions SET status = $1 WHERE id = 'e1'", {"done"}},
      {"UPDATE executions SET trigger_type = $1 WHERE id = 'e1'", {"cron"}},
      {"UPDATE executions SET progress = $1 WHERE id = 'e1'", {101}},
      {"UPDATE executions SET metadata = $1 WHERE id = 'e1'", {"{not json"}},
      {"UPDATE executions SET governance_status = $1 WHERE id = 'e1'", {"maybe"}},
      {"INSERT INTO execution_nodes (id, execution_id, node_id, status, created_at, updated_at) "
       "VALUES ('n', 'e1', 'build', $1, $2, $2)",
       {"done", kNow}},
      {"INSERT INTO execution_logs (execution_id, stream, message, created_at) "
       "VALUES ('e1', $1, 'm', $2)",
       {"stdin", kNow}},
      {"INSERT INTO execution_logs (execution_id, level, message, created_at) "
       "VALUES ('e1', $1, 'm', $2)",
       {"fatal", kNow}},
      {"INSERT INTO flow_templates (id, name, type, created_at, updated_at) "
       "VALUES ('f', 'F', $1, $2, $2)",
       {"webapp", kNow}},
      {"INSERT INTO approval_requests (id, execution_id, status, created_at, updated_at) "
       "VALUES ('a', 'e1', $1, $2, $2)",
       {"maybe", kNow}},
      {"UPDATE environment_locks SET is_locked = $1 WHERE environment = 'Staging'", {2}},
      {"UPDATE environments SET allowed_roles = $1 WHERE name = 'Staging'", {"{\"a\":1}"}},
      {"INSERT INTO branch_mappings (id, branch_pattern, ref_type, environment, created_at, "
       "updated_at) VALUES ('b', 'x', $1, 'Staging', $2, $2)",
       {"commit", kNow}},
      {"INSERT INTO webhook_deliveries (id, delivery_guid, event, received_at, outcome) "
       "VALUES ('w', 'g', 'push', $1, $2)",
       {kNow, "lost"}},
      {"INSERT INTO deployments (id, environment, version, status, created_at, updated_at) "
       "VALUES ('d', 'Production', 'v1', $1, $2, $2)",
       {"ok", kNow}},
  };
  for (const auto& [sql, params] : bad) {
    auto r = x(sql, params);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation) << sql << ": " << r.error().to_string();
  }
  // A good enum value passes the same statement shape.
  EXPECT_TRUE(x("UPDATE executions SET status = $1 WHERE id = 'e1'", {"cancelled"}).ok());
}

TEST_F(SchemaTest, UniqueRulesAreConflicts) {
  seed_parents();
  auto dup_email =
      x("INSERT INTO profiles (id, email, created_at, updated_at) "
        "VALUES ('u2', 'ann@EXAMPLE.com', $1, $1)",
        {kNow});
  ASSERT_FALSE(dup_email.ok());
  EXPECT_EQ(dup_email.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup_email.error().field, "profiles.email");

  ASSERT_TRUE(x("INSERT INTO user_roles (id, user_id, role, created_at) "
                "VALUES ('r1', 'u1', 'admin', $1)",
                {kNow})
                  .ok());
  auto second_role =
      x("INSERT INTO user_roles (id, user_id, role, created_at) "
        "VALUES ('r2', 'u1', 'viewer', $1)",
        {kNow});
  ASSERT_FALSE(second_role.ok());
  EXPECT_EQ(second_role.error().code, ErrorCode::kConflict);

  auto second_global_lock =
      x("INSERT INTO environment_locks (id, environment, created_at, updated_at) "
        "VALUES ('l', 'Production', $1, $1)",
        {kNow});
  ASSERT_FALSE(second_global_lock.ok());
  EXPECT_EQ(second_global_lock.error().code, ErrorCode::kConflict);
  // ...while a project-level lock for the same environment is fine.
  EXPECT_TRUE(x("INSERT INTO environment_locks (id, project_id, environment, created_at, "
                "updated_at) VALUES ('l', 'p1', 'Production', $1, $1)",
                {kNow})
                  .ok());

  const std::string version =
      "INSERT INTO deployment_versions (id, project_id, environment, version_tag, is_current, "
      "created_at) VALUES ($1, 'p1', 'Production', $2, 1, $3)";
  ASSERT_TRUE(x(version, {"v1", "1.0.0", kNow}).ok());
  auto two_current = x(version, {"v2", "1.0.1", kNow});
  ASSERT_FALSE(two_current.ok());
  EXPECT_EQ(two_current.error().code, ErrorCode::kConflict);

  const std::string delivery =
      "INSERT INTO webhook_deliveries (id, delivery_guid, event, received_at) "
      "VALUES ($1, 'guid-1', 'push', $2)";
  ASSERT_TRUE(x(delivery, {"w1", kNow}).ok());
  auto redelivered = x(delivery, {"w2", kNow});
  ASSERT_FALSE(redelivered.ok());
  EXPECT_EQ(redelivered.error().field, "webhook_deliveries.delivery_guid");
}

TEST_F(SchemaTest, ForeignKeysHoldAndCascade) {
  seed_parents();
  auto orphan =
      x("INSERT INTO execution_nodes (id, execution_id, node_id, created_at, "
        "updated_at) VALUES ('n', 'nope', 'build', $1, $1)",
        {kNow});
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::kValidation);
  auto unknown_env =
      x("INSERT INTO branch_mappings (id, branch_pattern, environment, "
        "created_at, updated_at) VALUES ('b', 'hotfix/*', 'Moon', $1, $1)",
        {kNow});
  ASSERT_FALSE(unknown_env.ok());

  ASSERT_TRUE(x("INSERT INTO execution_nodes (id, execution_id, node_id, created_at, "
                "updated_at) VALUES ('n1', 'e1', 'build', $1, $1)",
                {kNow})
                  .ok());
  ASSERT_TRUE(x("INSERT INTO execution_logs (execution_id, node_id, message, created_at) "
                "VALUES ('e1', 'build', 'hello', $1)",
                {kNow})
                  .ok());
  ASSERT_TRUE(x("INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at) "
                "VALUES ('s1', 'u1', 'h', $1, $1)",
                {kNow})
                  .ok());
  ASSERT_TRUE(x("DELETE FROM executions WHERE id = 'e1'").ok());
  auto nodes =
      q("SELECT (SELECT count(*) FROM execution_nodes) + "
        "(SELECT count(*) FROM execution_logs) AS n");
  ASSERT_TRUE(nodes.ok());
  EXPECT_EQ((*nodes)[0]["n"].as_int(), 0);
  ASSERT_TRUE(x("DELETE FROM profiles WHERE id = 'u1'").ok());
  auto sessions = q("SELECT count(*) AS n FROM sessions");
  ASSERT_TRUE(sessions.ok());
  EXPECT_EQ((*sessions)[0]["n"].as_int(), 0);
}

TEST_F(SchemaTest, LogIdsOnlyGrowEvenAfterDeletes) {
  seed_parents();
  const std::string insert =
      "INSERT INTO execution_logs (execution_id, node_id, message, created_at) "
      "VALUES ('e1', 'build', $1, $2) RETURNING id";
  auto first = db_->write([&](SqlSession& s) { return s.query(insert, {"one", kNow}); });
  ASSERT_TRUE(first.ok());
  const int64_t id1 = (*first)[0]["id"].as_int();
  ASSERT_TRUE(x("DELETE FROM execution_logs").ok());
  auto second = db_->write([&](SqlSession& s) { return s.query(insert, {"two", kNow}); });
  ASSERT_TRUE(second.ok());
  EXPECT_GT((*second)[0]["id"].as_int(), id1);  // AUTOINCREMENT never reuses a tail position
}

TEST_F(SchemaTest, DefaultsFillOptionalColumns) {
  seed_parents();
  auto e = q("SELECT status, progress, trigger_type, metadata FROM executions WHERE id = 'e1'");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)[0]["status"].as_text(), "idle");
  EXPECT_EQ((*e)[0]["progress"].as_int(), 0);
  EXPECT_EQ((*e)[0]["trigger_type"].as_text(), "manual");
  EXPECT_EQ((*e)[0]["metadata"].as_text(), "{}");
  ASSERT_TRUE(x("INSERT INTO github_integrations (id, project_id, repository_owner, "
                "repository_name, created_at, updated_at) VALUES ('g', 'p1', 'o', 'r', $1, $1)",
                {kNow})
                  .ok());
  auto g = q("SELECT api_base_url FROM github_integrations");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)[0]["api_base_url"].as_text(), "https://api.github.com");
}

}  // namespace
}  // namespace opz::store
