// DeploymentStore (migration 010): the deployment lifecycle, one current
// version per (project, environment) also under concurrent succeeds, history,
// bad versions, probes, holds, lifecycles; the seeds' raw inserts and an
// upgrade from a version-9 database.
#include "store/deployment_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/ids.h"
#include "core/time_format.h"
#include "migrated_db_test.h"
#include "store/migrator.h"

namespace opz::store {
namespace {

using std::chrono::seconds;

class DeploymentStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    project_ = create_project("shop");
  }

  DeploymentStore store() { return DeploymentStore(*db_, clock_); }

  DeploymentRecord deployment(const std::string& env, const std::string& version,
                              const std::string& commit = "") {
    DeploymentRecord d;
    d.project_id = project_;
    d.environment = env;
    d.version = version;
    d.commit_sha = commit;
    d.deployed_by = "ann";
    return d;
  }

  // Creates and succeeds a deployment; its id ("" after a failed expectation).
  std::string deployed(const std::string& env, const std::string& version,
                       const std::string& commit = "") {
    auto d = store().create(deployment(env, version, commit));
    EXPECT_TRUE(d.ok()) << d.error().to_string();
    if (!d.ok()) return "";
    auto v = store().succeed(d->id);
    EXPECT_TRUE(v.ok()) << v.error().to_string();
    clock_.advance(seconds(1));
    return d->id;
  }

  Status sql(const std::string& statement, const Params& params = {}) {
    return db_->write([&](SqlSession& s) -> Status {
      OPZ_TRY_STATUS(s.exec(statement, params));
      return {};
    });
  }
  int64_t count(const std::string& query, const Params& params = {}) {
    auto rows = db_->read([&](SqlSession& s) { return s.query(query, params); });
    EXPECT_TRUE(rows.ok()) << rows.error().to_string();
    return rows.ok() ? (*rows)[0][size_t{0}].as_int() : -1;
  }
  int64_t current_rows(const std::string& env) {
    return count(
        "SELECT count(*) FROM deployment_versions WHERE project_id = $1 AND environment = $2 "
        "AND is_current = TRUE",
        {project_, env});
  }

  std::string project_;
};

TEST_F(DeploymentStoreTest, CreateStoresEveryFieldAndFindReturnsIt) {
  ASSERT_TRUE(sql("INSERT INTO executions (id, name, project_id, created_at, updated_at) "
                  "VALUES ('e1', 'Deploy', $1, $2, $2)",
                  {project_, format_time(clock_.now())})
                  .ok());
  ASSERT_TRUE(sql("INSERT INTO artifacts (id, name, image_digest, created_at) "
                  "VALUES ('a1', 'shop-v1', 'sha256:ab', $1)",
                  {format_time(clock_.now())})
                  .ok());
  DeploymentRecord d = deployment("Staging", "staging-abc1234", "abc1234def");
  d.execution_id = "e1";
  d.node_id = "deploy";
  d.image_tag = "staging-abc1234";
  d.artifact_id = "a1";
  d.strategy = "canary";
  d.reason = "push to staging";
  auto created = store().create(d);
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_TRUE(is_uuid(created->id));
  EXPECT_EQ(created->created_at, format_time(clock_.now()));
  EXPECT_EQ(created->updated_at, created->created_at);

  auto found = store().find(created->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->execution_id, "e1");
  EXPECT_EQ(found->node_id, "deploy");
  EXPECT_EQ(found->project_id, project_);
  EXPECT_EQ(found->environment, "Staging");
  EXPECT_EQ(found->version, "staging-abc1234");
  EXPECT_EQ(found->commit_sha, "abc1234def");
  EXPECT_EQ(found->image_tag, "staging-abc1234");
  EXPECT_EQ(found->artifact_id, "a1");
  EXPECT_EQ(found->status, "pending");
  EXPECT_EQ(found->strategy, "canary");
  EXPECT_EQ(found->deployed_by, "ann");
  EXPECT_EQ(found->reason, "push to staging");
  EXPECT_EQ(found->canary_weight, 0);
  EXPECT_TRUE(found->started_at.empty());
  EXPECT_TRUE(found->completed_at.empty());
  EXPECT_TRUE(found->slot.empty());
  // Empty optional text is stored as NULL.
  EXPECT_EQ(count("SELECT count(*) FROM deployments WHERE phase IS NULL AND slot IS NULL AND "
                  "rollback_of IS NULL AND started_at IS NULL"),
            1);

  EXPECT_EQ(store().find("nope").error().code, ErrorCode::kNotFound);
}

TEST_F(DeploymentStoreTest, CreateRefusesBadInputNamingTheField) {
  DeploymentRecord unknown = deployment("Staging", "v1");
  unknown.project_id = "no-such-project";
  EXPECT_EQ(store().create(unknown).error().code, ErrorCode::kNotFound);

  auto field_of = [&](DeploymentRecord d) {
    auto r = store().create(d);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.ok() ? ErrorCode::kInternal : r.error().code, ErrorCode::kValidation);
    return r.ok() ? std::string() : r.error().field;
  };
  DeploymentRecord d = deployment("", "v1");
  EXPECT_EQ(field_of(d), "environment");
  d = deployment("Staging", "v1");
  d.project_id.clear();
  EXPECT_EQ(field_of(d), "project_id");
  d = deployment("Staging", "v1");
  d.strategy = "big_bang";
  EXPECT_EQ(field_of(d), "strategy");
  d = deployment("Staging", "v1");
  d.status = "done";
  EXPECT_EQ(field_of(d), "status");
  d = deployment("Staging", "v1");
  d.canary_weight = 101;
  EXPECT_EQ(field_of(d), "canary_weight");
  d = deployment("Staging", "v1");
  d.slot = "purple";
  EXPECT_EQ(field_of(d), "slot");

  d = deployment("Staging", "v1");
  d.id = "fixed-id";
  ASSERT_TRUE(store().create(d).ok());
  EXPECT_EQ(store().create(d).error().code, ErrorCode::kConflict);
  EXPECT_EQ(count("SELECT count(*) FROM deployments"), 1);
}

TEST_F(DeploymentStoreTest, AlsoRunsInTheSameTransaction) {
  auto failed = store().create(deployment("Staging", "v1"), [](SqlSession&) -> Status {
    return Error::internal("audit failed");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(count("SELECT count(*) FROM deployments"), 0);

  auto d = store().create(deployment("Staging", "v1"));
  ASSERT_TRUE(d.ok());
  auto v = store().succeed(d->id, [](SqlSession&) -> Status { return Error::internal("no"); });
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(store().find(d->id)->status, "pending");
  EXPECT_EQ(count("SELECT count(*) FROM deployment_versions"), 0);

  auto ok = store().succeed(d->id, [](SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(tx.exec(
        "INSERT INTO audit_logs (id, action, resource_type, created_at) "
        "VALUES ('x', 'deployment.succeeded', 'deployment', '2024-01-01T00:00:00.000Z')"));
    return {};
  });
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(count("SELECT count(*) FROM audit_logs WHERE action = 'deployment.succeeded'"), 1);
}

TEST_F(DeploymentStoreTest, FindForNodeAnswersTheNewestAttempt) {
  ASSERT_TRUE(sql("INSERT INTO executions (id, name, created_at, updated_at) "
                  "VALUES ('e1', 'x', $1, $1)",
                  {format_time(clock_.now())})
                  .ok());
  DeploymentRecord d = deployment("Staging", "v1");
  d.execution_id = "e1";
  d.node_id = "deploy";
  ASSERT_TRUE(store().create(d).ok());
  clock_.advance(seconds(5));
  auto second = store().create(d);
  ASSERT_TRUE(second.ok());
  d.node_id = "other";
  ASSERT_TRUE(store().create(d).ok());

  auto found = store().find_for_node("e1", "deploy");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, second->id);
  EXPECT_EQ(store().find_for_node("e1", "missing").error().code, ErrorCode::kNotFound);
}

TEST_F(DeploymentStoreTest, ListFiltersAndPagesNewestFirst) {
  std::vector<std::string> staging;
  for (int i = 0; i < 5; ++i) {
    auto d = store().create(deployment("Staging", "v" + std::to_string(i)));
    ASSERT_TRUE(d.ok());
    staging.push_back(d->id);
    clock_.advance(seconds(1));
  }
  ASSERT_TRUE(store().create(deployment("Production", "v0")).ok());

  DeploymentFilter filter;
  filter.project_id = project_;
  filter.environment = "Staging";
  auto first = store().list(filter, {.cursor = "", .limit = 3});
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(first->items.size(), 3u);
  EXPECT_EQ(first->items[0].id, staging[4]);
  EXPECT_EQ(first->items[2].id, staging[2]);
  ASSERT_TRUE(first->next_cursor.has_value());
  auto second = store().list(filter, {.cursor = *first->next_cursor, .limit = 3});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_EQ(second->items[1].id, staging[0]);
  EXPECT_FALSE(second->next_cursor.has_value());

  ASSERT_TRUE(store().succeed(staging[1]).ok());
  filter.status = "success";
  auto succeeded = store().list(filter, {});
  ASSERT_TRUE(succeeded.ok());
  ASSERT_EQ(succeeded->items.size(), 1u);
  EXPECT_EQ(succeeded->items[0].id, staging[1]);

  EXPECT_EQ(store().list({}, {})->items.size(), 6u);
  EXPECT_EQ(store().list({}, {.cursor = "zz", .limit = 5}).error().code, ErrorCode::kValidation);
}

TEST_F(DeploymentStoreTest, StartRunsTheDeploymentAndKeepsTheFirstStartTime) {
  auto d = store().create(deployment("Staging", ""));
  ASSERT_TRUE(d.ok());
  const std::string started = format_time(clock_.now());
  DeploymentRecord attempt;
  attempt.id = d->id;
  attempt.version = "staging-abc1234";
  attempt.commit_sha = "abc1234";
  attempt.image_tag = "img:abc1234";
  attempt.strategy = "blue_green";
  attempt.slot = "green";
  attempt.phase = "deploy";
  ASSERT_TRUE(store().start(attempt).ok());

  clock_.advance(seconds(10));
  DeploymentRecord again;
  again.id = d->id;
  again.strategy = "blue_green";
  again.phase = "health_check";
  ASSERT_TRUE(store().start(again).ok());

  auto found = store().find(d->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->status, "running");
  EXPECT_EQ(found->started_at, started);
  EXPECT_EQ(found->updated_at, format_time(clock_.now()));
  EXPECT_EQ(found->version, "staging-abc1234");  // kept: empty in the second call
  EXPECT_EQ(found->commit_sha, "abc1234");
  EXPECT_EQ(found->image_tag, "img:abc1234");
  EXPECT_EQ(found->strategy, "blue_green");
  EXPECT_EQ(found->slot, "green");
  EXPECT_EQ(found->phase, "health_check");
  EXPECT_EQ(found->deployed_by, "ann");

  DeploymentRecord unknown;
  unknown.id = "nope";
  EXPECT_EQ(store().start(unknown).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().finish(d->id, "failed", "health check failed", false).ok());
  EXPECT_EQ(store().start(again).error().code, ErrorCode::kConflict);
}

TEST_F(DeploymentStoreTest, ProgressRecordsPhaseSlotAndWeight) {
  auto d = store().create(deployment("Production", "v1"));
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(store().progress(d->id, "canary 10%", "blue", 10).ok());
  ASSERT_TRUE(store().progress(d->id, "canary 50%", "", 50).ok());
  auto found = store().find(d->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->phase, "canary 50%");
  EXPECT_EQ(found->slot, "blue");
  EXPECT_EQ(found->canary_weight, 50);

  EXPECT_EQ(store().progress(d->id, "x", "", 120).error().field, "canary_weight");
  EXPECT_EQ(store().progress(d->id, "x", "red", 0).error().field, "slot");
  EXPECT_EQ(store().progress("nope", "x", "", 0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().find(d->id)->canary_weight, 50);
}

TEST_F(DeploymentStoreTest, SucceedMakesItsVersionTheOneCurrentVersion) {
  const std::string first = deployed("Production", "v1", "c1");
  auto d = store().create(deployment("Production", "v2", "c2"));
  ASSERT_TRUE(d.ok());
  DeploymentRecord attempt = *d;
  attempt.image_tag = "img:v2";
  ASSERT_TRUE(store().start(attempt).ok());
  const std::string now = format_time(clock_.now());
  auto v = store().succeed(d->id);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_TRUE(v->is_current);
  EXPECT_FALSE(v->marked_bad);
  EXPECT_EQ(v->deployment_id, d->id);
  EXPECT_EQ(v->version_tag, "v2");
  EXPECT_EQ(v->commit_sha, "c2");
  EXPECT_EQ(v->image_tag, "img:v2");
  EXPECT_EQ(v->project_id, project_);
  EXPECT_EQ(v->environment, "Production");
  EXPECT_EQ(v->created_at, now);

  auto found = store().find(d->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->status, "success");
  EXPECT_EQ(found->completed_at, now);
  EXPECT_EQ(count("SELECT count(*) FROM deployments WHERE id = $1 AND deployed_at = $2",
                  {d->id, now}),
            1);

  EXPECT_EQ(current_rows("Production"), 1);
  auto current = store().current(project_, "Production");
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->id, v->id);
  auto current_deployment = store().current_deployment(project_, "Production");
  ASSERT_TRUE(current_deployment.ok());
  ASSERT_TRUE(current_deployment->has_value());
  EXPECT_EQ((*current_deployment)->id, d->id);
  EXPECT_EQ(count("SELECT is_current FROM deployment_versions WHERE deployment_id = $1", {first}),
            0);

  // Another environment is independent.
  deployed("Staging", "s1");
  EXPECT_EQ(current_rows("Production"), 1);
  EXPECT_EQ(store().current(project_, "Staging")->value().version_tag, "s1");
  EXPECT_FALSE(store().current(project_, "PreProd")->has_value());
  EXPECT_FALSE(store().current_deployment(project_, "PreProd")->has_value());

  // A repeated succeed answers the same row; an ended one is a conflict.
  auto again = store().succeed(d->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, v->id);
  EXPECT_EQ(count("SELECT count(*) FROM deployment_versions WHERE deployment_id = $1", {d->id}),
            1);
  auto failed = store().create(deployment("Production", "v3"));
  ASSERT_TRUE(store().finish(failed->id, "failed", "boom", false).ok());
  EXPECT_EQ(store().succeed(failed->id).error().code, ErrorCode::kConflict);
  auto no_version = store().create(deployment("Production", ""));
  EXPECT_EQ(store().succeed(no_version->id).error().field, "version");
  EXPECT_EQ(store().succeed("nope").error().code, ErrorCode::kNotFound);
}

TEST_F(DeploymentStoreTest, TheDatabaseRefusesASecondCurrentRow) {
  deployed("Production", "v1");
  auto second = sql(
      "INSERT INTO deployment_versions (project_id, environment, version_tag, is_current) "
      "VALUES ($1, 'Production', 'v9', TRUE)",
      {project_});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
}

TEST_F(DeploymentStoreTest, ConcurrentSucceedsLeaveExactlyOneCurrentVersion) {
  constexpr int kThreads = 8;
  constexpr int kEach = 5;
  std::atomic<int> succeeded{0};
  std::atomic<int> unclean{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        DeploymentStore s(*db_, clock_);
        auto d = s.create(deployment("Production", "v" + std::to_string(t) + "." +
                                                       std::to_string(i)));
        if (!d.ok()) {
          ++unclean;
          continue;
        }
        auto v = s.succeed(d->id);
        if (v.ok()) {
          ++succeeded;
        } else if (v.error().code != ErrorCode::kConflict &&
                   v.error().code != ErrorCode::kUnavailable) {
          ++unclean;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(unclean.load(), 0);
  // SQLite serializes every write on one writer, so none has to give way here.
  EXPECT_EQ(succeeded.load(), kThreads * kEach);
  EXPECT_EQ(current_rows("Production"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM deployment_versions"), succeeded.load());
  EXPECT_EQ(count("SELECT count(*) FROM deployments WHERE status = 'success'"), succeeded.load());
  // The current row belongs to a deployment that succeeded.
  auto current = store().current_deployment(project_, "Production");
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->status, "success");
}

TEST_F(DeploymentStoreTest, FinishEndsItAndMayMarkItsVersionBad) {
  const std::string good = deployed("Production", "v1");
  auto bad = store().create(deployment("Production", "v2", "c2"));
  ASSERT_TRUE(bad.ok());
  ASSERT_TRUE(store().start(*bad).ok());
  clock_.advance(seconds(30));
  ASSERT_TRUE(store().finish(bad->id, "rolled_back", "health check failed", true).ok());

  auto found = store().find(bad->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->status, "rolled_back");
  EXPECT_EQ(found->reason, "health check failed");
  EXPECT_EQ(found->completed_at, format_time(clock_.now()));
  EXPECT_EQ(store().current(project_, "Production")->value().deployment_id, good);
  EXPECT_EQ(current_rows("Production"), 1);
  auto rows = db_->read([&](SqlSession& s) {
    return s.query("SELECT * FROM deployment_versions WHERE deployment_id = $1", {bad->id});
  });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0]["is_current"].as_int(), 0);
  EXPECT_EQ((*rows)[0]["marked_bad"].as_int(), 1);
  EXPECT_EQ((*rows)[0]["marked_bad_reason"].as_text(), "health check failed");
  EXPECT_EQ((*rows)[0]["version_tag"].as_text(), "v2");
  EXPECT_EQ((*rows)[0]["commit_sha"].as_text(), "c2");

  auto blocked = store().create(deployment("Production", "v3"));
  ASSERT_TRUE(store().finish(blocked->id, "blocked", "migration failed", false).ok());
  EXPECT_EQ(store().find(blocked->id)->status, "blocked");
  EXPECT_EQ(count("SELECT count(*) FROM deployment_versions WHERE deployment_id = $1",
                  {blocked->id}),
            0);

  EXPECT_EQ(store().finish(blocked->id, "failed", "again", false).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(store().finish(good, "cancelled", "", false).error().code, ErrorCode::kConflict);
  auto open = store().create(deployment("Production", "v4"));
  EXPECT_EQ(store().finish(open->id, "success", "", false).error().field, "status");
  EXPECT_EQ(store().finish("nope", "failed", "", false).error().code, ErrorCode::kNotFound);
}

TEST_F(DeploymentStoreTest, MarkBadMarksEveryRowOfTheTag) {
  deployed("Production", "v1");
  deployed("Production", "v2");
  deployed("Production", "v1");
  deployed("Staging", "v1");
  ASSERT_TRUE(store().mark_bad(project_, "Production", "v1", "corrupts carts").ok());
  EXPECT_EQ(count("SELECT count(*) FROM deployment_versions WHERE marked_bad = TRUE AND "
                  "marked_bad_reason = 'corrupts carts' AND environment = 'Production' AND "
                  "version_tag = 'v1'"),
            2);
  EXPECT_EQ(count("SELECT count(*) FROM deployment_versions WHERE marked_bad = TRUE"), 2);
  EXPECT_EQ(store().mark_bad(project_, "Production", "v7", "x").error().code,
            ErrorCode::kNotFound);
}

TEST_F(DeploymentStoreTest, HistoryIsCompleteNewestFirstWithVersionFlags) {
  const std::string v1 = deployed("Production", "v1");
  const std::string v2 = deployed("Production", "v2");
  auto v3 = store().create(deployment("Production", "v3"));
  ASSERT_TRUE(store().finish(v3->id, "rolled_back", "analysis failed", true).ok());
  clock_.advance(seconds(1));
  DeploymentRecord rollback = deployment("Production", "v1");
  rollback.rollback_of = v1;
  rollback.reason = "manual rollback";
  auto rb = store().create(rollback);
  ASSERT_TRUE(rb.ok());
  deployed("Staging", "s1");

  auto page = store().history(project_, "Production", {.cursor = "", .limit = 3});
  ASSERT_TRUE(page.ok()) << page.error().to_string();
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].deployment.id, rb->id);
  EXPECT_EQ(page->items[0].deployment.rollback_of, v1);
  EXPECT_EQ(page->items[0].deployment.status, "pending");
  EXPECT_FALSE(page->items[0].is_current);  // no version row yet
  EXPECT_EQ(page->items[1].deployment.id, v3->id);
  EXPECT_TRUE(page->items[1].marked_bad);
  EXPECT_FALSE(page->items[1].is_current);
  EXPECT_EQ(page->items[2].deployment.id, v2);
  EXPECT_TRUE(page->items[2].is_current);
  ASSERT_TRUE(page->next_cursor.has_value());

  auto rest = store().history(project_, "Production", {.cursor = *page->next_cursor, .limit = 3});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].deployment.id, v1);
  EXPECT_FALSE(rest->items[0].is_current);
  EXPECT_FALSE(rest->next_cursor.has_value());

  ASSERT_TRUE(store().succeed(rb->id).ok());
  auto after = store().history(project_, "Production", {});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->items.size(), 4u);
  EXPECT_TRUE(after->items[0].is_current);
  EXPECT_FALSE(after->items[2].is_current);
}

TEST_F(DeploymentStoreTest, LatestSuccessMatchesCommitOrVersionNewestCompletedFirst) {
  deployed("Staging", "staging-aaa", "aaa");
  const std::string newer = deployed("Staging", "staging-aaa2", "aaa");
  deployed("Staging", "staging-bbb", "bbb");
  auto failed = store().create(deployment("Staging", "staging-ccc", "ccc"));
  ASSERT_TRUE(store().finish(failed->id, "failed", "x", false).ok());

  auto by_commit = store().latest_success(project_, "Staging", "aaa", "");
  ASSERT_TRUE(by_commit.ok());
  ASSERT_TRUE(by_commit->has_value());
  EXPECT_EQ((*by_commit)->id, newer);
  EXPECT_FALSE((*by_commit)->completed_at.empty());

  auto by_version = store().latest_success(project_, "Staging", "", "staging-bbb");
  ASSERT_TRUE(by_version.ok());
  ASSERT_TRUE(by_version->has_value());
  EXPECT_EQ((*by_version)->commit_sha, "bbb");

  EXPECT_FALSE(store().latest_success(project_, "Staging", "ccc", "")->has_value());
  EXPECT_FALSE(store().latest_success(project_, "Production", "aaa", "")->has_value());
  EXPECT_FALSE(store().latest_success(project_, "Staging", "", "")->has_value());

  // The same answer inside a caller's transaction.
  auto in_tx = db_->write([&](SqlSession& s) {
    return load_latest_success(s, project_, "Staging", "aaa", "staging-ignored");
  });
  ASSERT_TRUE(in_tx.ok());
  EXPECT_EQ((*in_tx)->id, newer);
}

TEST_F(DeploymentStoreTest, ProbesAreRecordedAndListedNewestFirst) {
  auto d = store().create(deployment("Production", "v1"));
  ASSERT_TRUE(d.ok());
  DeploymentProbeRecord http;
  http.deployment_id = d->id;
  http.target = "http://127.0.0.1:8080/health";
  http.ok = false;
  http.latency_ms = 12;
  http.status_code = 503;
  http.error = "unexpected status 503";
  ASSERT_TRUE(store().record_probe(http).ok());
  DeploymentProbeRecord sample;
  sample.deployment_id = d->id;
  sample.kind = "analysis";
  sample.target = "./error_rate.sh";
  sample.ok = true;
  sample.latency_ms = 40;
  sample.value = 0.25;
  ASSERT_TRUE(store().record_probe(sample).ok());  // same time: recording order breaks the tie
  clock_.advance(seconds(1));
  http.ok = true;
  http.status_code = 200;
  http.error.clear();
  ASSERT_TRUE(store().record_probe(http).ok());

  auto probes = store().probes(d->id, 10);
  ASSERT_TRUE(probes.ok()) << probes.error().to_string();
  ASSERT_EQ(probes->size(), 3u);
  EXPECT_TRUE((*probes)[0].ok);
  EXPECT_EQ((*probes)[0].status_code, 200);
  EXPECT_TRUE((*probes)[0].error.empty());
  EXPECT_EQ((*probes)[0].created_at, format_time(clock_.now()));
  EXPECT_EQ((*probes)[1].kind, "analysis");
  EXPECT_EQ((*probes)[1].value, 0.25);
  EXPECT_FALSE((*probes)[1].status_code.has_value());
  EXPECT_EQ((*probes)[1].latency_ms, 40);
  EXPECT_EQ((*probes)[2].error, "unexpected status 503");
  EXPECT_FALSE((*probes)[2].value.has_value());
  EXPECT_EQ((*probes)[2].target, "http://127.0.0.1:8080/health");
  EXPECT_TRUE(is_uuid((*probes)[2].id));

  EXPECT_EQ(store().probes(d->id, 2)->size(), 2u);
  DeploymentProbeRecord orphan;
  orphan.deployment_id = "nope";
  EXPECT_EQ(store().record_probe(orphan).error().code, ErrorCode::kNotFound);
  sample.kind = "smoke";
  EXPECT_EQ(store().record_probe(sample).error().field, "kind");

  // Probes go with their deployment.
  ASSERT_TRUE(sql("DELETE FROM deployments WHERE id = $1", {d->id}).ok());
  EXPECT_EQ(count("SELECT count(*) FROM deployment_probes"), 0);
}

TEST_F(DeploymentStoreTest, OneActiveHoldPerEnvironmentUntilReleased) {
  const std::string bad = deployed("Production", "v2");
  DeploymentHoldRecord h;
  h.project_id = project_;
  h.environment = "Production";
  h.deployment_id = bad;
  h.version_tag = "v2";
  h.reason = "rolled back: health check failed";
  h.created_by = "system";
  int audits = 0;
  auto audit = [&](SqlSession&) -> Status {
    ++audits;
    return {};
  };
  auto held = store().hold(h, audit);
  ASSERT_TRUE(held.ok()) << held.error().to_string();
  EXPECT_TRUE(is_uuid(held->id));
  EXPECT_EQ(held->created_at, format_time(clock_.now()));
  EXPECT_EQ(audits, 1);

  clock_.advance(seconds(5));
  h.reason = "second";
  auto again = store().hold(h, audit);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, held->id);
  EXPECT_EQ(again->reason, "rolled back: health check failed");
  EXPECT_EQ(audits, 1);

  auto active = store().active_hold(project_, "Production");
  ASSERT_TRUE(active.ok());
  ASSERT_TRUE(active->has_value());
  EXPECT_EQ((*active)->deployment_id, bad);
  EXPECT_EQ((*active)->version_tag, "v2");
  EXPECT_EQ((*active)->created_by, "system");
  EXPECT_TRUE((*active)->released_at.empty());
  EXPECT_FALSE(store().active_hold(project_, "Staging")->has_value());
  auto in_tx = db_->write([&](SqlSession& s) { return load_active_hold(s, project_, "Production"); });
  ASSERT_TRUE(in_tx.ok());
  EXPECT_EQ((*in_tx)->id, held->id);

  auto released = store().release_hold(project_, "Production", "ann", audit);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->released_by, "ann");
  EXPECT_EQ(released->released_at, format_time(clock_.now()));
  EXPECT_EQ(audits, 2);
  EXPECT_FALSE(store().active_hold(project_, "Production")->has_value());
  EXPECT_EQ(store().release_hold(project_, "Production", "ann").error().code,
            ErrorCode::kNotFound);

  clock_.advance(seconds(5));
  auto next = store().hold(h);
  ASSERT_TRUE(next.ok());
  EXPECT_NE(next->id, held->id);
  auto all = store().holds(project_, false);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, next->id);
  EXPECT_EQ((*all)[1].released_by, "ann");
  auto active_only = store().holds(project_, true);
  ASSERT_TRUE(active_only.ok());
  ASSERT_EQ(active_only->size(), 1u);
  EXPECT_EQ((*active_only)[0].id, next->id);

  h.project_id = "nope";
  EXPECT_EQ(store().hold(h).error().code, ErrorCode::kNotFound);
  h.project_id = project_;
  h.environment.clear();
  EXPECT_EQ(store().hold(h).error().field, "environment");
  // The database refuses a second active hold even past the store.
  auto raw = sql("INSERT INTO deployment_holds (id, project_id, environment, created_at) "
                 "VALUES ('h2', $1, 'Production', '2024-01-01T00:00:00.000Z')",
                 {project_});
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code, ErrorCode::kConflict);
}

TEST_F(DeploymentStoreTest, LifecycleIsReplacedWholeAndRenumbered) {
  EXPECT_TRUE(store().lifecycle(project_)->empty());
  int audits = 0;
  auto audit = [&](SqlSession&) -> Status {
    ++audits;
    return {};
  };
  ASSERT_TRUE(store()
                  .set_lifecycle(project_,
                                 {{7, "Development", 0}, {3, "Staging", 600}, {9, "Production", 3600}},
                                 audit)
                  .ok());
  EXPECT_EQ(audits, 1);
  auto phases = store().lifecycle(project_);
  ASSERT_TRUE(phases.ok());
  ASSERT_EQ(phases->size(), 3u);
  EXPECT_EQ((*phases)[0].position, 0);
  EXPECT_EQ((*phases)[0].environment, "Development");
  EXPECT_EQ((*phases)[1].position, 1);
  EXPECT_EQ((*phases)[1].soak_seconds, 600);
  EXPECT_EQ((*phases)[2].environment, "Production");
  EXPECT_EQ((*phases)[2].soak_seconds, 3600);

  ASSERT_TRUE(store().set_lifecycle(project_, {{0, "Staging", 0}, {1, "Production", 60}}).ok());
  auto in_tx = db_->write([&](SqlSession& s) { return load_lifecycle(s, project_); });
  ASSERT_TRUE(in_tx.ok());
  ASSERT_EQ(in_tx->size(), 2u);
  EXPECT_EQ((*in_tx)[0].environment, "Staging");
  EXPECT_EQ((*in_tx)[1].soak_seconds, 60);

  EXPECT_EQ(store().set_lifecycle(project_, {{0, "Staging", 0}, {1, "Staging", 0}}).error().field,
            "environment");
  EXPECT_EQ(store().set_lifecycle(project_, {{0, "", 0}}).error().field, "environment");
  EXPECT_EQ(store().set_lifecycle(project_, {{0, "Staging", -1}}).error().field, "soak_seconds");
  EXPECT_EQ(store().set_lifecycle("nope", {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().lifecycle(project_)->size(), 2u);  // refusals changed nothing

  ASSERT_TRUE(store().set_lifecycle(project_, {}).ok());
  EXPECT_TRUE(store().lifecycle(project_)->empty());
}

TEST_F(DeploymentStoreTest, TheSeedsRawInsertsStillWork) {
  // 000 §2.2 step 8, as written there: no id, no times.
  ASSERT_TRUE(sql("INSERT INTO executions (id, name, created_at, updated_at) "
                  "VALUES ('e1', 'x', $1, $1)",
                  {format_time(clock_.now())})
                  .ok());
  auto inserted = db_->write([&](SqlSession& s) {
    return s.query(
        "INSERT INTO deployments (execution_id, environment, version, status, deployed_by) "
        "VALUES ('e1', 'Staging', 'staging-abc1234', 'success', 'ann') RETURNING id, created_at");
  });
  ASSERT_TRUE(inserted.ok()) << inserted.error().to_string();
  const std::string id = (*inserted)[0]["id"].as_text();
  EXPECT_TRUE(is_uuid(id)) << id;
  EXPECT_TRUE(parse_time((*inserted)[0]["created_at"].as_text()).ok());
  auto version = sql(
      "INSERT INTO deployment_versions (project_id, deployment_id, environment, version_tag, "
      "commit_sha, is_current) VALUES ($1, $2, 'Staging', 'staging-abc1234', 'abc1234', TRUE)",
      {project_, id});
  ASSERT_TRUE(version.ok()) << version.error().to_string();
  auto found = store().find(id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->status, "success");
  EXPECT_EQ(found->strategy, "rolling");
  EXPECT_EQ(found->canary_weight, 0);
  auto current = store().current(project_, "Staging");
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->deployment_id, id);
  EXPECT_FALSE((*current)->marked_bad);
}

TEST(DeploymentStoreMigration, DeploymentsWrittenBefore010AreKept) {
  opz::testing::TempDir dir;
  auto db = Database::open_sqlite({.path = dir.str() + "/t.db"});
  ASSERT_TRUE(db.ok());
  ManualClock clock;
  std::vector<Migration> before;
  for (const Migration& m : embedded_migrations())
    if (m.name < "010") before.push_back(m);
  ASSERT_TRUE(Migrator(**db, before, clock).apply().ok());
  ASSERT_TRUE((*db)->write([](SqlSession& s) -> Status {
                      for (const char* sql : {
                               "INSERT INTO projects (id, name, slug, created_at, updated_at) "
                               "VALUES ('p1', 'Shop', 'shop', '2024-01-01T00:00:00.000Z', "
                               "'2024-01-01T00:00:00.000Z')",
                               "INSERT INTO deployments (id, project_id, environment, version, "
                               "status, deployed_by, deployed_at, created_at, updated_at) VALUES "
                               "('d1', 'p1', 'Production', 'v1', 'success', 'ann', "
                               "'2024-01-02T00:00:00.000Z', '2024-01-01T00:00:00.000Z', "
                               "'2024-01-02T00:00:00.000Z')",
                               "INSERT INTO deployments (id, project_id, environment, version, "
                               "status, rollback_of, reason, created_at, updated_at) VALUES "
                               "('d2', 'p1', 'Production', 'v0', 'failed', 'd1', 'bad', "
                               "'2024-01-03T00:00:00.000Z', '2024-01-03T00:00:00.000Z')",
                               "INSERT INTO deployment_versions (id, project_id, deployment_id, "
                               "environment, version_tag, commit_sha, is_current, created_at) "
                               "VALUES ('v1', 'p1', 'd1', 'Production', 'v1', 'abc', 1, "
                               "'2024-01-02T00:00:00.000Z')"})
                        OPZ_TRY_STATUS(s.exec(sql));
                      return {};
                    }).ok());
  auto applied = (*db)->migrate();
  ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  EXPECT_EQ(applied->back(), embedded_migrations().back().name);

  DeploymentStore store(**db, clock);
  auto d1 = store.find("d1");
  ASSERT_TRUE(d1.ok()) << d1.error().to_string();
  EXPECT_EQ(d1->status, "success");
  EXPECT_EQ(d1->deployed_by, "ann");
  EXPECT_EQ(d1->completed_at, "2024-01-02T00:00:00.000Z");  // from deployed_at
  EXPECT_EQ(d1->commit_sha, "abc");                         // from its version row
  EXPECT_EQ(d1->created_at, "2024-01-01T00:00:00.000Z");
  auto d2 = store.find("d2");
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->rollback_of, "d1");
  EXPECT_EQ(d2->reason, "bad");
  auto current = store.current("p1", "Production");
  ASSERT_TRUE(current.ok());
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->deployment_id, "d1");
  auto history = store.history("p1", "Production", {});
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->items.size(), 2u);
  EXPECT_EQ(history->items[0].deployment.id, "d2");
  EXPECT_TRUE(history->items[1].is_current);

  auto check = (*db)->read([](SqlSession& s) { return s.query("PRAGMA foreign_key_check"); });
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->empty());
  auto leftovers = (*db)->read([](SqlSession& s) {
    return s.query("SELECT name FROM sqlite_master WHERE name LIKE '%_009' OR sql LIKE '%_009%'");
  });
  ASSERT_TRUE(leftovers.ok());
  EXPECT_TRUE(leftovers->empty());
  // The rebuilt tables still cascade: a deleted deployment takes its version row.
  ASSERT_TRUE((*db)->write([](SqlSession& s) -> Status {
                      OPZ_TRY_STATUS(s.exec("DELETE FROM deployments WHERE id = 'd1'"));
                      return {};
                    }).ok());
  EXPECT_FALSE(store.current("p1", "Production")->has_value());
  EXPECT_EQ(store.find("d2")->rollback_of, "");
}

}  // namespace
}  // namespace opz::store
