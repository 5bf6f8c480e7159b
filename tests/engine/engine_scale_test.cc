// Large pipelines, external handlers, stuck detection, workspaces from git.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "engine_fixture.h"
#include "net/outbound_guard.h"
#include "store/execution_store.h"

namespace opz::engine {
namespace {

class EngineScaleTest : public EngineFixture {};

TEST_F(EngineScaleTest, TenThousandNodePipelineCompletes) {
  start_engine();
  pipeline::Pipeline p;
  p.name = "huge";
  const int kNodes = 10'000;
  p.nodes.reserve(kNodes);
  for (int i = 0; i < kNodes; ++i) {
    pipeline::Node n;
    n.id = n.name = "n" + std::to_string(i);
    n.type = pipeline::NodeType::kTrigger;  // no steps: succeeds at once
    // Layered: every node needs the one before and the one ten before.
    if (i > 0) n.needs.push_back("n" + std::to_string(i - 1));
    if (i >= 10) n.needs.push_back("n" + std::to_string(i - 10));
    p.nodes.push_back(std::move(n));
  }
  NewExecution r;
  r.pipeline = std::move(p);
  std::string id = submit(std::move(r));
  ASSERT_EQ(wait_finished(id, std::chrono::seconds(120)), "success");
  auto d = detail(id);
  ASSERT_EQ(d.nodes.size(), static_cast<size_t>(kNodes));
  EXPECT_EQ(d.nodes.back().node_id, "n9999");
  for (const auto& n : d.nodes) ASSERT_EQ(n.status, "success") << n.node_id;
  EXPECT_EQ(d.execution.progress, 100);
}

TEST_F(EngineScaleTest, HundredsOfRealProcessesComplete) {
  options_.max_parallel = 2;
  start_engine();
  std::string yaml = "nodes:\n";
  for (int i = 0; i < 200; ++i) {
    yaml += "  n" + std::to_string(i) + ": {run: 'echo x'";
    if (i >= 4) yaml += ", needs: n" + std::to_string(i - 4);
    yaml += "}\n";
  }
  std::string id = submit(yaml);
  ASSERT_EQ(wait_finished(id, std::chrono::seconds(120)), "success");
  auto lines = history_->logs({.execution_id = id, .limit = 10000});
  ASSERT_TRUE(lines.ok());
  size_t stdout_lines = 0;
  for (const auto& l : *lines) stdout_lines += l.stream == "stdout" && l.message == "x";
  EXPECT_EQ(stdout_lines, 200u);
}

class FakeHandler : public ExternalNodeHandler {
 public:
  void start(const ExternalNodeRequest& request, ExternalNodeReporter reporter) override {
    std::lock_guard lock(mu);
    requests.push_back(request);
    if (request.attempt == 1 && fail_first) {
      std::thread([reporter] { reporter.finish({false, "workflow run failed", {}}); }).detach();
      return;
    }
    std::thread([reporter] {
      reporter.log("dispatched workflow", "info");
      reporter.finish({true, "", {{"run_url", "https://example.com/run/1"}}});
      reporter.finish({false, "ignored second report", {}});
    }).detach();
  }
  void cancel(const std::string&, const std::string& node_id, int) override {
    std::lock_guard lock(mu);
    cancelled.push_back(node_id);
  }
  std::mutex mu;
  bool fail_first = false;
  std::vector<ExternalNodeRequest> requests;
  std::vector<std::string> cancelled;
};

TEST_F(EngineScaleTest, ExternalHandlersRunTheirNodeTypeWithRetries) {
  auto handler = std::make_shared<FakeHandler>();
  handler->fail_first = true;
  handlers_["github_workflow"] = handler;
  start_engine();
  std::string id = submit(R"(
nodes:
  ci:
    type: github_workflow
    retry: {max_attempts: 2, initial: 1ms}
    with: {workflow: ci.yml}
  after: {needs: ci, run: 'echo "url=$run_url"'}
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto ci = node(id, "ci");
  EXPECT_EQ(ci.attempt, 2);
  EXPECT_EQ(ci.outputs["run_url"], "https://example.com/run/1");
  EXPECT_EQ(log_messages(id, "after", "stdout"),
            std::vector<std::string>{"url=https://example.com/run/1"});
  EXPECT_EQ(log_messages(id, "ci", "system"),
            (std::vector<std::string>{"workflow run failed", "dispatched workflow"}));
  std::lock_guard lock(handler->mu);
  ASSERT_EQ(handler->requests.size(), 2u);
  EXPECT_EQ(handler->requests[0].with["workflow"], "ci.yml");
  EXPECT_EQ(handler->requests[0].branch, "main");
  EXPECT_EQ(handler->requests[0].execution_id, id);
}

TEST_F(EngineScaleTest, StuckExecutionsAreAnnouncedOnce) {
  ManualClock clock;
  options_.stuck_after = std::chrono::minutes(30);
  options_.stuck_check_interval = std::chrono::milliseconds(10);
  Engine engine(*journal_, runner_, bus_, clock, options_);
  engine.start();
  auto stuck =
      bus_.subscribe({.execution_id = "", .kinds = static_cast<uint32_t>(EventKind::kStuck)});
  auto rec = engine.submit(request("nodes:\n  hang: {run: 'sleep 30'}\n"));
  ASSERT_TRUE(rec.ok());
  ASSERT_TRUE(wait_node(rec->id, "hang", "running"));
  EXPECT_FALSE(stuck->next(std::chrono::milliseconds(50)).has_value());
  clock.advance(std::chrono::minutes(31));
  auto e = stuck->next(std::chrono::seconds(5));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ((*e)->execution_id, rec->id);
  EXPECT_EQ((*e)->data["minutes_running"], 31);
  EXPECT_FALSE(stuck->next(std::chrono::milliseconds(100)).has_value());  // only once
  ASSERT_TRUE(engine.cancel(rec->id, "", "").ok());
  engine.stop();
}

class EngineGitTest : public EngineFixture {
 protected:
  // A repository with opzenix.yml `content`; answers its head sha.
  std::string make_repo(const std::string& content) {
    repo_ = dir_.str() + "/repo";
    std::filesystem::create_directories(repo_);
    std::ofstream(repo_ + "/opzenix.yml") << content;
    std::ofstream(repo_ + "/hello.txt") << "hello from the repository\n";
    std::string cmd = "cd " + repo_ +
                      " && git init -q && git add . && git -c user.email=t@t -c user.name=t "
                      "commit -q -m init && git rev-parse HEAD > ../head";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(dir_.str() + "/head");
    std::string sha;
    in >> sha;
    return sha;
  }
  NewExecution from_repo(const std::string& sha) {
    NewExecution r;
    r.pipeline_from_repository = true;
    r.workspace = {WorkspaceSource::Kind::kGit, "", repo_};
    r.commit_sha = sha;
    r.trigger_type = "push";
    return r;
  }
  std::string repo_;
};

TEST_F(EngineGitTest, ChecksOutTheCommitAndRunsItsOpzenixYml) {
  std::string sha = make_repo("nodes:\n  show: {run: 'cat hello.txt; echo $OPZENIX_COMMIT_SHA'}\n");
  start_engine();
  std::string id = submit(from_repo(sha));
  ASSERT_EQ(wait_finished(id), "success");
  EXPECT_EQ(log_messages(id, "show", "stdout"),
            (std::vector<std::string>{"hello from the repository", sha}));
  auto d = detail(id);
  EXPECT_FALSE(d.execution.pipeline.empty());
  ASSERT_EQ(d.nodes.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(options_.data_dir + "/workspaces/" + id + "/hello.txt"));
  EXPECT_FALSE(std::filesystem::exists(options_.data_dir + "/outputs/" + id));
}

TEST_F(EngineGitTest, AnInvalidOpzenixYmlFailsTheExecutionWithTheMessage) {
  std::string sha = make_repo("nodes:\n  a: {run: 'true', need: b}\n");
  start_engine();
  std::string id = submit(from_repo(sha));
  ASSERT_EQ(wait_finished(id), "failed");
  auto d = detail(id);
  const std::string error = d.execution.metadata.value("error", "");
  EXPECT_NE(error.find("opzenix.yml:2:"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown key 'need'"), std::string::npos) << error;
  auto events = history_->state_events(id);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().reason, error);
}

TEST_F(EngineGitTest, TheOutboundGuardRefusesARepositoryBeforeAnythingIsCreated) {
  std::string sha = make_repo("nodes:\n  a: {run: 'true'}\n");
  auto strict = net::AddressPolicy::from_list("");
  ASSERT_TRUE(strict.ok());
  net::OutboundGuard guard(*strict);
  options_.outbound = &guard;
  start_engine();
  for (const std::string& url : {repo_, std::string("http://127.0.0.1:9/r.git"),
                                std::string("https://0x7f.1/r.git"),
                                std::string("http://169.254.169.254/r.git")}) {
    NewExecution r = from_repo(sha);
    r.workspace.git_url = url;
    auto refused = engine_->submit(std::move(r));
    ASSERT_FALSE(refused.ok()) << url;
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation) << url;
    EXPECT_EQ(refused.error().field, "workspace.url") << url;
  }
  auto listed = store::ExecutionStore(*db_).list({}, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty()) << "a refused repository creates no execution";
}

TEST_F(EngineGitTest, ALocalRepositoryRunsWhenTheAllowListSaysFile) {
  std::string sha = make_repo("nodes:\n  a: {run: 'true'}\n");
  auto allow_file = net::AddressPolicy::from_list("file");
  ASSERT_TRUE(allow_file.ok());
  net::OutboundGuard guard(*allow_file);
  options_.outbound = &guard;
  start_engine();
  EXPECT_EQ(wait_finished(submit(from_repo(sha))), "success");
}

TEST_F(EngineGitTest, ABadCommitFailsTheCheckout) {
  make_repo("nodes:\n  a: {run: 'true'}\n");
  start_engine();
  std::string id = submit(from_repo(std::string(40, 'e')));
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_NE(detail(id).execution.metadata.value("error", "").find("checkout failed"),
            std::string::npos);
}

}  // namespace
}  // namespace opz::engine
