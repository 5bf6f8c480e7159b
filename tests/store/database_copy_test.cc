// copy_database(): a realistic SQLite installation (made through the store
// APIs) copied into a fresh PostgreSQL database arrives whole: every table's
// rows equal as values, the audit chain verifies, no trigger fired (the event
// log is the source's), identities continue after the copied ids; a second
// copy is refused, and a failed copy leaves the target as it was.
//
// Needs the PostgreSQL test server (tests/support/postgres.sh start DIR, then
// OPZ_TEST_POSTGRES_DIR=DIR or OPZ_TEST_POSTGRES_URL); skipped otherwise.
#include "store/database_copy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/approval_store.h"
#include "store/audit_store.h"
#include "store/deployment_store.h"
#include "store/execution_store.h"
#include "store/project_store.h"
#include "store/secret_store.h"
#include "store/user_store.h"
#include "support/postgres_test_database.h"
#include "support/temp_dir.h"

namespace opz::store {
namespace {

constexpr const char* kMetadata = R"({"b": [1, 2.5, true],  "a":{"x":null}, "é":"ü"})";

// Recomputes the chain the way `opzenix audit verify` does.
Status verify_chain(const std::vector<AuditLogRecord>& rows) {
  std::string prev(kGenesisHash);
  for (const AuditLogRecord& r : rows) {
    if (r.prev_hash != prev || r.hash != audit_row_hash(prev, r))
      return Error::validation("audit chain broken at seq " + std::to_string(r.seq));
    prev = r.hash;
  }
  return {};
}

class DatabaseCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> server = opz::testing::postgres_test_url();
    if (!server) GTEST_SKIP() << "no PostgreSQL test server (OPZ_TEST_POSTGRES_URL / _DIR)";
    auto pg = opz::testing::PostgresTestDatabase::create(*server);
    ASSERT_TRUE(pg.ok()) << pg.error().to_string();
    pg_.emplace(std::move(pg).value());
    auto target = Database::open_postgres({.url = pg_->url(), .readers = 1});
    ASSERT_TRUE(target.ok()) << target.error().to_string();
    target_ = std::move(target).value();
    auto source = Database::open_sqlite({.path = dir_.str() + "/opzenix.db"});
    ASSERT_TRUE(source.ok()) << source.error().to_string();
    source_ = std::move(source).value();
    ASSERT_TRUE(source_->migrate().ok());
    populate();
  }

  void TearDown() override {
    if (target_) target_->close();
    if (source_) source_->close();
  }

  // An installation in use: users, a project, an execution with nodes, logs,
  // a state change, an approval, a deployment, a secret and audit entries.
  void populate() {
    ProjectStore projects(*source_, clock_);
    auto org = projects.create_organization("Org", "org", "");
    ASSERT_TRUE(org.ok()) << org.error().to_string();
    ProjectFields f;
    f.name = "shop";
    auto project = projects.create_project(f, "tester");
    ASSERT_TRUE(project.ok()) << project.error().to_string();
    project_ = project->id;
    UserStore users(*source_, clock_);
    auto user = users.create("Ada@Example.com", "Ada", "hash", "admin");
    ASSERT_TRUE(user.ok()) << user.error().to_string();

    ExecutionRecord e;
    e.id = execution_ = "11111111-2222-3333-4444-555555555555";
    e.name = "build";
    e.project_id = project_;
    e.pipeline = R"({"name":"p","nodes":[{"id":"build"},{"id":"deploy"}]})";
    e.status = "running";
    e.environment = "Production";
    e.branch = "main";
    e.trigger_type = "manual";
    e.metadata = Json::object();
    e.started_at = "2026-03-01T10:00:00.123Z";
    e.created_at = e.updated_at = "2026-03-01T09:59:59.001Z";
    std::vector<ExecutionNodeRecord> nodes;
    for (const char* id : {"build", "deploy"}) {
      ExecutionNodeRecord n;
      n.id = std::string("node-") + id;
      n.execution_id = e.id;
      n.node_id = n.name = id;
      n.type = id;
      n.status = "pending";
      n.position = static_cast<int>(nodes.size());
      n.created_at = n.updated_at = e.created_at;
      nodes.push_back(n);
    }
    ExecutionStore executions(*source_);
    ASSERT_TRUE(executions.create(e, nodes).ok());
    ExecutionBatch batch;
    batch.at = "2026-03-01T10:00:05.500Z";
    for (int i = 0; i < 23; ++i) {
      batch.logs.push_back(LogLineRecord{0, e.id, "build", 1, "stdout", "info",
                                         "line " + std::to_string(i) + " \\ \"quoted\" ✓",
                                         batch.at});
    }
    ExecutionNodeRecord done = nodes[0];
    done.status = "success";
    done.attempt = 1;
    done.exit_code = 0;
    done.log_truncated = true;
    done.outputs = Json::object({{"image", "shop:1"}});
    done.duration_ms = 5377;
    done.started_at = e.started_at;
    done.completed_at = batch.at;
    batch.changes.push_back(NodeChange{done, "pending", "exit 0"});
    ASSERT_TRUE(executions.apply(batch).ok());
    ASSERT_TRUE(source_
                    ->write([&](SqlSession& s) {
                      return s.exec("UPDATE executions SET metadata = $1 WHERE id = $2",
                                    {kMetadata, e.id});
                    })
                    .ok());

    ApprovalRecord approval;
    approval.execution_id = e.id;
    approval.node_id = "deploy";
    approval.environment = "Production";
    approval.required_approvals = 2;
    approval.requested_by = user->id;
    approval.title = "Ship it";
    approval.expires_at = "2026-03-02T10:00:00.000Z";
    ASSERT_TRUE(ApprovalStore(*source_, clock_).create(approval).ok());

    DeploymentRecord d;
    d.execution_id = e.id;
    d.node_id = "deploy";
    d.project_id = project_;
    d.environment = "Production";
    d.version = "v1";
    auto deployment = DeploymentStore(*source_, clock_).create(d);
    ASSERT_TRUE(deployment.ok()) << deployment.error().to_string();

    auto secret = SecretStore(*source_, clock_)
                      .put(project_, "", "DB_PASSWORD", user->id, [](const SecretRecord&) {
                        return Result<SecretCiphertext>(SecretCiphertext{"k1", "bm9uY2U=", "c2VhbGVk"});
                      });
    ASSERT_TRUE(secret.ok()) << secret.error().to_string();

    AuditStore audit(*source_, clock_);
    for (int i = 0; i < 7; ++i) {
      AuditLogRecord r;
      r.action = "project.updated";
      r.resource_type = "project";
      r.resource_id = project_;
      r.user_id = user->id;
      r.details = R"({ "step": )" + std::to_string(i) + R"(, "note": "spacing kept" })";
      clock_.advance(std::chrono::milliseconds(1234));
      ASSERT_TRUE(audit.append(r).ok());
    }
  }

  Result<CopyReport> copy(CopyOptions options = {}) {
    options.page_rows = 4;  // many pages even for this small installation
    options.verify_audit = verify_chain;
    return copy_database(*source_, *target_, options);
  }

  // Every row of `table` as text, sorted, in the target's column order.
  static std::vector<std::string> contents(Database& db, const std::string& table,
                                           const std::vector<std::string>& columns) {
    std::string list;
    for (const std::string& c : columns)
      list += (list.empty() ? "" : ", ") + (c == "rowid" ? c : "\"" + c + "\"");
    auto rows = db.read([&](SqlSession& s) { return s.query("SELECT " + list + " FROM " + table); });
    EXPECT_TRUE(rows.ok()) << table << ": " << rows.error().to_string();
    std::vector<std::string> out;
    if (!rows.ok()) return out;
    for (const Row& r : *rows) {
      std::string line;
      for (size_t i = 0; i < r.size(); ++i)
        line += (r[i].is_null() ? std::string("NULL") : "'" + r[i].as_text() + "'") + "|";
      out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::map<std::string, std::vector<std::string>> target_columns() {
    auto rows = target_->read([](SqlSession& s) {
      return s.query(
          "SELECT table_name, column_name FROM information_schema.columns c "
          "WHERE table_schema = 'public' AND table_name IN (SELECT table_name FROM "
          "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE') "
          "AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position");
    });
    EXPECT_TRUE(rows.ok());
    std::map<std::string, std::vector<std::string>> out;
    if (rows.ok()) {
      for (const Row& r : *rows) out[r[0].as_text()].push_back(r[1].as_text());
    }
    return out;
  }

  // `columns` as the source has them: an identity column SQLite lacks
  // (PostgreSQL's seq) is its rowid.
  std::vector<std::string> source_columns(const std::string& table,
                                          std::vector<std::string> columns) {
    auto rows = source_->read([&](SqlSession& s) {
      return s.query("SELECT name FROM pragma_table_info($1)", {table});
    });
    EXPECT_TRUE(rows.ok());
    for (std::string& c : columns) {
      bool found = false;
      for (const Row& r : *rows) found = found || r[0].as_text() == c;
      if (!found) c = "rowid";
    }
    return columns;
  }

  int64_t count(Database& db, const std::string& table) {
    auto rows = db.read([&](SqlSession& s) { return s.query("SELECT count(*) FROM " + table); });
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0][0].as_int() : -1;
  }

  std::string scalar(Database& db, const std::string& sql) {
    auto rows = db.read([&](SqlSession& s) { return s.query(sql); });
    EXPECT_TRUE(rows.ok()) << sql << ": " << rows.error().to_string();
    return rows.ok() && !rows->empty() ? (*rows)[0][0].as_text() : "<none>";
  }

  ManualClock clock_;
  opz::testing::TempDir dir_;
  std::optional<opz::testing::PostgresTestDatabase> pg_;  // outlives target_
  std::unique_ptr<Database> target_;
  std::unique_ptr<Database> source_;
  std::string project_;
  std::string execution_;
};

TEST_F(DatabaseCopyTest, EveryTableArrivesWithEqualValuesAndTheAuditChainVerifies) {
  std::vector<std::string> progress;
  CopyOptions options;
  options.progress = [&](const std::string& table, int64_t done, int64_t total) {
    progress.push_back(table + ": " + std::to_string(done) + "/" + std::to_string(total));
  };
  auto report = copy(options);
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_TRUE(report->used_replica_role);  // the test server's role is a superuser
  EXPECT_EQ(report->audit_entries, 7);
  EXPECT_NE(std::find(progress.begin(), progress.end(), "execution_logs: 23/23"), progress.end());
  EXPECT_NE(std::find(progress.begin(), progress.end(), "execution_logs: 4/23"), progress.end());

  const auto tables = target_columns();
  ASSERT_GE(tables.size(), 50u);
  ASSERT_EQ(report->tables.size(), tables.size());
  for (const TableCopied& t : report->tables) {
    ASSERT_TRUE(tables.count(t.table)) << t.table;
    EXPECT_EQ(t.rows, count(*source_, t.table)) << t.table;
    EXPECT_EQ(contents(*target_, t.table, tables.at(t.table)),
              contents(*source_, t.table, source_columns(t.table, tables.at(t.table))))
        << t.table;
  }
  // The tables this installation filled, and values of each type.
  EXPECT_EQ(count(*target_, "execution_logs"), 23);
  EXPECT_EQ(count(*target_, "audit_logs"), 7);
  EXPECT_GT(count(*target_, "realtime_events"), 20);
  EXPECT_EQ(count(*target_, "realtime_events"), count(*source_, "realtime_events"));
  EXPECT_EQ(scalar(*target_, "SELECT metadata FROM executions"), kMetadata);
  EXPECT_EQ(scalar(*target_, "SELECT started_at FROM executions"), "2026-03-01T10:00:00.123Z");
  EXPECT_EQ(scalar(*target_, "SELECT log_truncated FROM execution_nodes WHERE node_id = 'build'"),
            "1");
  EXPECT_EQ(scalar(*target_, "SELECT duration_ms FROM execution_nodes WHERE node_id = 'build'"),
            "5377");
  EXPECT_EQ(scalar(*target_, "SELECT message FROM execution_logs ORDER BY id DESC LIMIT 1"),
            "line 22 \\ \"quoted\" ✓");
  EXPECT_EQ(scalar(*target_, "SELECT max(id) FROM execution_logs"),
            scalar(*source_, "SELECT max(id) FROM execution_logs"));
  EXPECT_EQ(scalar(*target_, "SELECT email FROM profiles"), "Ada@Example.com");
  // The chain as the product reads it back from the target.
  auto chain = target_->read([](SqlSession& s) { return AuditStore::read_chain(s, 0, 0); });
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(verify_chain(*chain).ok());
}

TEST_F(DatabaseCopyTest, TheTargetContinuesAfterTheCopiedIdsAndItsTriggersFireAgain) {
  ASSERT_TRUE(copy().ok());
  const int64_t events = count(*target_, "realtime_events");
  const int64_t last_event = std::stoll(scalar(*target_, "SELECT max(id) FROM realtime_events"));
  AuditLogRecord r;
  r.action = "project.deleted";
  r.resource_type = "project";
  r.resource_id = project_;
  auto appended = AuditStore(*target_, clock_).append(r);
  ASSERT_TRUE(appended.ok()) << appended.error().to_string();
  EXPECT_EQ(appended->seq, 8);
  ExecutionBatch batch;
  batch.at = "2026-03-01T11:00:00.000Z";
  batch.logs.push_back(LogLineRecord{0, execution_, "build", 1, "stdout", "info", "after", batch.at});
  auto logged = ExecutionStore(*target_).apply(batch);
  ASSERT_TRUE(logged.ok()) << logged.error().to_string();
  EXPECT_EQ(logged->log_seqs.at(0), 24);
  EXPECT_GT(count(*target_, "realtime_events"), events);  // the triggers are on again
  EXPECT_GT(std::stoll(scalar(*target_, "SELECT min(id) FROM realtime_events WHERE id > " +
                                            std::to_string(last_event))),
            last_event);
}

TEST_F(DatabaseCopyTest, ASecondCopyIntoTheSameTargetIsRefused) {
  ASSERT_TRUE(copy().ok());
  auto again = copy();
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is_conflict());
  EXPECT_NE(again.error().message.find("the target already has 1 rows in projects"),
            std::string::npos)
      << again.error().message;
}

TEST_F(DatabaseCopyTest, AFailureMidCopyLeavesTheTargetAsItWas) {
  const int64_t seeded = count(*target_, "environments");
  ASSERT_GT(seeded, 0);
  CopyOptions options;
  options.after_table = [](const std::string& table) -> Status {
    if (table == "execution_logs") return Error::unavailable("connection lost");
    return {};
  };
  auto report = copy(options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message, "connection lost");
  EXPECT_EQ(count(*target_, "projects"), 0);
  EXPECT_EQ(count(*target_, "executions"), 0);
  EXPECT_EQ(count(*target_, "realtime_events"), 0);
  EXPECT_EQ(count(*target_, "environments"), seeded);
  // Nothing half done stands in the way of the next attempt.
  ASSERT_TRUE(copy().ok());
  EXPECT_EQ(count(*target_, "execution_logs"), 23);
}

TEST_F(DatabaseCopyTest, AValuePostgresRefusesNamesTheTableColumnAndRow) {
  ASSERT_TRUE(source_
                  ->write([&](SqlSession& s) {
                    return s.exec("UPDATE executions SET completed_at = '' WHERE id = $1",
                                  {execution_});
                  })
                  .ok());
  auto report = copy();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("cannot copy executions id " + execution_ +
                                        ", column completed_at: "),
            std::string::npos)
      << report.error().message;
  EXPECT_EQ(count(*target_, "projects"), 0);
}

TEST_F(DatabaseCopyTest, WithoutTheReplicaRoleTriggersAreDisabledPerTable) {
  CopyOptions options;
  options.triggers = TriggerSuppression::kAlterTable;
  auto report = copy(options);
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_FALSE(report->used_replica_role);
  EXPECT_EQ(count(*target_, "realtime_events"), count(*source_, "realtime_events"));
  EXPECT_EQ(count(*target_, "execution_logs"), 23);
  // Enabled again: a change on the target appends its event.
  const int64_t events = count(*target_, "realtime_events");
  ExecutionBatch batch;
  batch.at = "2026-03-01T11:00:00.000Z";
  batch.logs.push_back(LogLineRecord{0, execution_, "build", 1, "stdout", "info", "after", batch.at});
  ASSERT_TRUE(ExecutionStore(*target_).apply(batch).ok());
  EXPECT_GT(count(*target_, "realtime_events"), events);
}

}  // namespace
}  // namespace opz::store
