#include "engine/local_run.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "pipeline/pipeline_yaml.h"
#include "store/execution_store.h"
#include "support/temp_dir.h"

namespace opz::engine {
namespace {

class RecordingObserver : public LocalRunObserver {
 public:
  void on_start(const store::ExecutionRecord& e, size_t nodes) override {
    started_id = e.id;
    node_count = nodes;
  }
  void on_event(const EngineEvent& e) override {
    if (e.kind == EventKind::kNodeState) node_events.push_back(e.node_id + ">" + e.new_state);
  }
  std::string started_id;
  size_t node_count = 0;
  std::vector<std::string> node_events;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

pipeline::Pipeline parse(const std::string& yaml) {
  auto p = pipeline::parse_pipeline_yaml(yaml);
  EXPECT_TRUE(p.ok());
  return p.ok() ? *p : pipeline::Pipeline{};
}

TEST(LocalRunTest, RunsInTheWorkspaceAndRecordsEverything) {
  testing::TempDir dir;
  dir.write("input.txt", "payload\n");
  LocalRunOptions options;
  options.workspace = dir.str();
  options.branch = "feature/x";
  options.max_parallel = 2;
  RecordingObserver observer;
  auto result = run_locally(parse(R"(
nodes:
  read: {run: 'cat input.txt'}
  write: {needs: read, run: 'echo "$OPZENIX_BRANCH" > out.txt'}
)"),
                            options, &observer, nullptr);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result->status, "success");
  EXPECT_FALSE(result->interrupted);
  ASSERT_EQ(result->nodes.size(), 2u);
  EXPECT_EQ(result->nodes[0].node_id, "read");
  EXPECT_EQ(result->nodes[0].exit_code, 0);
  EXPECT_EQ(observer.started_id, result->execution_id);
  EXPECT_EQ(observer.node_count, 2u);
  EXPECT_EQ(observer.node_events, (std::vector<std::string>{"read>running", "read>success",
                                                            "write>running", "write>success"}));
  std::ifstream out(dir.str() + "/out.txt");
  std::string branch;
  out >> branch;
  EXPECT_EQ(branch, "feature/x");
  // The journal is a normal database under .opzenix.
  auto db = store::Database::open_sqlite({.path = dir.str() + "/.opzenix/opzenix.db"});
  ASSERT_TRUE(db.ok());
  store::ExecutionStore store(**db);
  auto detail = store.get(result->execution_id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->execution.trigger_type, "cli");
  EXPECT_EQ(detail->execution.status, "success");
}

TEST(LocalRunTest, TheStateFolderIgnoresItselfAndDeployNodesRunTheirStrategy) {
  testing::TempDir dir;
  LocalRunOptions options;
  options.workspace = dir.str();
  auto result = run_locally(parse(R"(
nodes:
  deploy:
    type: deploy
    environment: Development
    strategy: canary
    run: 'echo "$OPZENIX_SLOT" >> slots.txt'
    traffic: 'echo "$OPZENIX_CANARY_WEIGHT" >> weights.txt'
    steps:
      - set_weight: 30
      - set_weight: 100
)"),
                            options, nullptr, nullptr);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result->status, "success");
  // The canary went to the idle slot and its weights were set in order.
  EXPECT_EQ(read_file(dir.str() + "/slots.txt"), "blue\n");
  EXPECT_EQ(read_file(dir.str() + "/weights.txt"), "30\n100\n");
  // `git status` in the user's tree does not show the state folder.
  EXPECT_NE(read_file(dir.str() + "/.opzenix/.gitignore").find("*\n"), std::string::npos);
}

TEST(LocalRunTest, InterruptCancelsTheRun) {
  testing::TempDir dir;
  LocalRunOptions options;
  options.workspace = dir.str();
  std::atomic<bool> interrupted{false};
  std::thread ctrl_c([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    interrupted = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto result =
      run_locally(parse("nodes:\n  hang: {run: 'sleep 30'}\n"), options, nullptr, &interrupted);
  ctrl_c.join();
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->interrupted);
  EXPECT_EQ(result->status, "cancelled");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(LocalRunTest, AnUnfinishedEarlierRunIsForceFailed) {
  testing::TempDir dir;
  LocalRunOptions options;
  options.workspace = dir.str();
  auto first = run_locally(parse("nodes:\n  a: {run: 'true'}\n"), options, nullptr, nullptr);
  ASSERT_TRUE(first.ok());
  {
    auto db = store::Database::open_sqlite({.path = dir.str() + "/.opzenix/opzenix.db"});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->write([&](store::SqlSession& s) -> Status {
                      OPZ_TRY_STATUS(
                          s.exec("UPDATE executions SET status = 'running', "
                                 "completed_at = NULL WHERE id = $1",
                                 {first->execution_id}));
                      return ok_status();
                    })
                    .ok());
  }
  auto second = run_locally(parse("nodes:\n  b: {run: 'true'}\n"), options, nullptr, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, "success");
  auto db = store::Database::open_sqlite({.path = dir.str() + "/.opzenix/opzenix.db"});
  ASSERT_TRUE(db.ok());
  store::ExecutionStore store(**db);
  auto old = store.find(first->execution_id, false);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->status, "failed");
  EXPECT_NE(old->blocked_reason.find("did not finish"), std::string::npos);
}

TEST(LocalRunTest, GitFactsOfARepositoryAndOfAPlainDirectory) {
  testing::TempDir dir;
  EXPECT_TRUE(read_git_facts(dir.str()).commit_sha.empty());
  std::string cmd = "cd " + dir.str() +
                    " && git init -q -b trunk && git -c user.email=t@t -c user.name=t commit -q "
                    "--allow-empty -m x";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  GitFacts facts = read_git_facts(dir.str());
  EXPECT_EQ(facts.branch, "trunk");
  EXPECT_EQ(facts.commit_sha.size(), 40u);
}

TEST(LocalRunTest, RequiresAWorkspace) {
  auto r = run_locally(parse("nodes:\n  a: {run: 'true'}\n"), {}, nullptr, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "workspace");
}

}  // namespace
}  // namespace opz::engine
