#include "store/ops_project_store.h"

#include <gtest/gtest.h>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/branch_mapping_store.h"
#include "store/build_execution.h"
#include "store/execution_store.h"
#include "store/migrated_db_test.h"
#include "store/run_queue_store.h"

namespace opz::store {
namespace {

class OpsProjectStoreTest : public MigratedDbTest {
 protected:
  void map_branches(const std::string& project) {
    BranchMappingStore mappings(*db_, clock_);
    std::vector<BranchMappingRecord> rules(3);
    rules[0].branch_pattern = "main";
    rules[0].environment = "Production";
    rules[1].branch_pattern = "develop";
    rules[1].environment = "Development";
    rules[2].branch_pattern = "v*";
    rules[2].ref_type = "tag";  // a tag rule is not a branch
    rules[2].environment = "Production";
    for (size_t i = 0; i < rules.size(); ++i) {
      rules[i].position = static_cast<int>(i + 1);
      rules[i].image_tag_template = "{sha7}";
    }
    auto r = mappings.replace(project, rules);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }

  // Dispatches queue row `build` as an execution in `status`.
  void dispatch(const std::string& project, const std::string& build, const std::string& status,
                const std::string& started_at = "", const std::string& completed_at = "") {
    ExecutionRecord e = build_execution(project, status, format_time(clock_.now()));
    e.started_at = started_at;
    e.completed_at = completed_at;
    ASSERT_TRUE(ExecutionStore(*db_).create(e, {}).ok());
    ASSERT_TRUE(RunQueueStore(*db_, clock_).mark_dispatched(build, e.id).ok());
  }

  std::string build_status(const std::string& build) {
    auto rows = db_->read([&](SqlSession& s) {
      return s.query("SELECT status FROM ops_builds WHERE id = $1", {build});
    });
    return rows.ok() && !rows->empty() ? (*rows)[0]["status"].as_text() : "(none)";
  }
};

TEST_F(OpsProjectStoreTest, ListsProjectsWithBranchCountAndLastBuild) {
  const std::string erp = create_project("Production ERP");
  const std::string other = create_project("another");
  map_branches(erp);
  RunQueueStore queue(*db_, clock_);
  ASSERT_TRUE(queue.enqueue({erp, "main", "abc1234", "manual", ""}).ok());
  clock_.advance(std::chrono::seconds(5));
  auto newest = queue.enqueue({erp, "develop", "", "manual", ""});
  ASSERT_TRUE(newest.ok());

  OpsProjectStore ops(*db_);
  auto rows = ops.list_projects();
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].id, other);  // by name, case-insensitive
  EXPECT_EQ((*rows)[0].branch_count, 0);
  EXPECT_EQ((*rows)[0].last_build_status, "");
  EXPECT_EQ((*rows)[0].last_build_at, "");
  const OpsProjectRow& p = (*rows)[1];
  EXPECT_EQ(p.id, erp);
  EXPECT_EQ(p.name, "Production ERP");
  EXPECT_EQ(p.slug, "production-erp");
  EXPECT_FALSE(p.org_id.empty());
  EXPECT_EQ(p.branch_count, 2);  // main and develop; the v* tag rule is not a branch
  EXPECT_EQ(p.last_build_status, "queued");
  EXPECT_EQ(p.last_build_at, newest->created_at);
}

TEST_F(OpsProjectStoreTest, ShowsRepoUrlAndRuntimeVersionFromTheProject) {
  ProjectStore projects(*db_, clock_);
  const std::string id = create_project("erp");
  ProjectFields f;
  f.git_url = "https://git.example/erp.git";
  f.runtime_version = "19.0";
  ASSERT_TRUE(projects.update_project(id, f).ok());
  auto rows = OpsProjectStore(*db_).list_projects();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].repo_url, "https://git.example/erp.git");
  EXPECT_EQ((*rows)[0].runtime_version, "19.0");
  f = {};
  f.github_repo_url = "https://github.com/acme/erp";  // the GitHub URL wins
  ASSERT_TRUE(projects.update_project(id, f).ok());
  EXPECT_EQ((*OpsProjectStore(*db_).list_projects())[0].repo_url, "https://github.com/acme/erp");
  EXPECT_EQ(projects.find_project(id)->runtime_version, "19.0");
}

TEST_F(OpsProjectStoreTest, ListsBranchesWithStageProductionAndTheirOwnLastBuild) {
  const std::string erp = create_project("erp");
  map_branches(erp);
  RunQueueStore queue(*db_, clock_);
  auto on_main = queue.enqueue({erp, "main", "", "manual", ""});
  ASSERT_TRUE(on_main.ok());
  dispatch(erp, on_main->id, "success", "2024-01-15T10:00:00.000Z", "2024-01-15T10:01:00.000Z");

  OpsProjectStore ops(*db_);
  auto rows = ops.project_branches(erp);
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 2u);
  const OpsBranchRow& develop = (*rows)[0];
  EXPECT_EQ(develop.name, "develop");
  EXPECT_EQ(develop.stage, "development");
  EXPECT_FALSE(develop.is_production);
  EXPECT_EQ(develop.last_build_status, "");
  const OpsBranchRow& main = (*rows)[1];
  EXPECT_EQ(main.name, "main");
  EXPECT_EQ(main.project_id, erp);
  EXPECT_EQ(main.stage, "production");
  EXPECT_TRUE(main.is_production);
  EXPECT_EQ(main.last_build_status, "success");
  EXPECT_EQ(main.last_build_at, on_main->created_at);

  auto empty = ops.project_branches(create_project("bare"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto missing = ops.project_branches(new_uuid());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().field, "project_id");
}

TEST_F(OpsProjectStoreTest, BuildStatusFollowsTheExecution) {
  const std::string p = create_project();
  map_branches(p);
  RunQueueStore queue(*db_, clock_);
  auto make = [&] { return queue.enqueue({p, "main", "", "manual", ""})->id; };
  const std::string queued = make();
  EXPECT_EQ(build_status(queued), "queued");
  const std::string refused = make();
  ASSERT_TRUE(queue.mark_failed(refused, "no pipeline").ok());
  EXPECT_EQ(build_status(refused), "failed");

  const struct {
    const char* execution;
    const char* started;
    const char* build;
  } cases[] = {
      {"idle", "", "queued"},      {"paused", "", "queued"},        {"paused", "t", "running"},
      {"running", "t", "running"}, {"success", "t", "success"},     {"warning", "t", "success"},
      {"failed", "t", "failed"},   {"cancelled", "t", "cancelled"},
  };
  for (const auto& c : cases) {
    const std::string id = make();
    // A started execution carries a real time (PostgreSQL's started_at is a timestamptz).
    dispatch(p, id, c.execution, *c.started ? format_time(clock_.now()) : std::string());
    EXPECT_EQ(build_status(id), c.build) << "execution status " << c.execution;
  }
  // The branch is resolved from the project's own branch rules.
  auto rows = db_->read([&](SqlSession& s) {
    return s.query(
        "SELECT b.branch_id, br.name FROM ops_builds b "
        "JOIN ops_branches br ON br.id = b.branch_id WHERE b.id = $1",
        {queued});
  });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0]["name"].as_text(), "main");
}

}  // namespace
}  // namespace opz::store
