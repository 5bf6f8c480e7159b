#include "engine/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "engine_fixture.h"

namespace opz::engine {
namespace {

class EngineTest : public EngineFixture {
 protected:
  // `n` independent nodes that each append how many nodes are running at
  // that moment to `counts`, hold for `hold` seconds, then leave.
  std::string overlap_probe(const std::string& header, int n, const std::string& hold,
                            const std::string& counts) {
    const std::string running = dir_.str() + "/running";
    std::filesystem::create_directories(running);
    std::string yaml = header + "nodes:\n";
    for (int i = 0; i < n; ++i) {
      yaml += "  n" + std::to_string(i) + ": {run: 'touch " + running + "/$OPZENIX_NODE_ID; ls " +
              running + " | wc -l >> " + counts + "; sleep " + hold + "; rm " + running +
              "/$OPZENIX_NODE_ID'}\n";
    }
    return yaml;
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(EngineTest, LinearPipelineSucceedsWithLogsAndEventsInOrder) {
  start_engine();
  std::string id = submit(R"(
name: linear
nodes:
  build:
    steps:
      - {name: one, run: echo hello from build}
      - {name: two, run: echo second step >&2}
  test:
    needs: build
    run: echo testing
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto d = detail(id);
  EXPECT_EQ(d.execution.progress, 100);
  EXPECT_FALSE(d.execution.started_at.empty());
  EXPECT_FALSE(d.execution.completed_at.empty());
  ASSERT_EQ(d.nodes.size(), 2u);
  for (const auto& n : d.nodes) {
    EXPECT_EQ(n.status, "success") << n.node_id;
    EXPECT_EQ(n.attempt, 1);
    EXPECT_EQ(n.exit_code, 0);
    EXPECT_TRUE(n.duration_ms.has_value());
    EXPECT_FALSE(n.completed_at.empty());
  }
  EXPECT_EQ(log_messages(id, "build", "stdout"), std::vector<std::string>{"hello from build"});
  EXPECT_EQ(log_messages(id, "build", "stderr"), std::vector<std::string>{"second step"});
  auto system = log_messages(id, "build", "system");
  ASSERT_EQ(system.size(), 2u);
  EXPECT_EQ(system[0], "step 1/2 'one' started");
  EXPECT_EQ(system[1], "step 2/2 'two' started");
  EXPECT_EQ(d.nodes[0].logs, "hello from build\nsecond step\n");
  EXPECT_GT(d.nodes[0].log_bytes, 0);

  // Durable state events, in order.
  auto durable = history_->state_events(id);
  ASSERT_TRUE(durable.ok());
  std::vector<std::string> seen;
  for (const auto& e : *durable)
    seen.push_back((e.node_id.empty() ? "exec" : e.node_id) + ":" + e.old_state + ">" +
                   e.new_state);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"exec:>idle", "exec:idle>running", "build:pending>running",
                                      "build:running>success", "test:pending>running",
                                      "test:running>success", "exec:running>success"}));
  // The bus saw the same transitions, after they were committed, with rising seq.
  std::vector<std::string> bus;
  uint64_t last = 0;
  for (const auto& e : events_through_finish(id)) {
    EXPECT_GT(e->seq, last);
    last = e->seq;
    if (e->kind == EventKind::kExecutionState || e->kind == EventKind::kNodeState)
      bus.push_back((e->node_id.empty() ? "exec" : e->node_id) + ":" + e->old_state + ">" +
                    e->new_state);
  }
  EXPECT_EQ(bus, std::vector<std::string>(seen.begin() + 1, seen.end()));
}

TEST_F(EngineTest, LogEventsCarrySequenceNumbers) {
  start_engine();
  std::string id = submit(R"(
nodes:
  a: {run: "echo one; echo two"}
)");
  ASSERT_EQ(wait_finished(id), "success");
  std::vector<std::string> messages;
  int64_t last = 0;
  size_t lines_when_a_finished = 0;
  for (const auto& e : events_through_finish(id)) {
    if (e->kind == EventKind::kNodeState && e->node_id == "a" && e->new_state == "success")
      lines_when_a_finished = messages.size();
    if (e->kind != EventKind::kLogs || e->node_id != "a") continue;
    for (const auto& line : e->data["lines"]) {
      EXPECT_GT(line["seq"].get<int64_t>(), last);
      last = line["seq"].get<int64_t>();
      messages.push_back(line["message"]);
    }
  }
  EXPECT_EQ(messages, (std::vector<std::string>{"step 1/1 'run' started", "one", "two"}));
  // Published in recorded order: every line before the node's end.
  EXPECT_EQ(lines_when_a_finished, 3u);
}

TEST_F(EngineTest, GlobalParallelLimitIsObserved) {
  options_.max_parallel = 2;
  start_engine();
  const std::string counts = dir_.str() + "/counts";
  std::string id = submit(overlap_probe("", 6, "0.15", counts));
  ASSERT_EQ(wait_finished(id), "success");
  std::set<int> seen;
  std::istringstream in(read_file(counts));
  for (int c; in >> c;) seen.insert(c);
  ASSERT_FALSE(seen.empty());
  EXPECT_LE(*seen.rbegin(), 2);
  EXPECT_EQ(*seen.rbegin(), 2) << "two nodes should have overlapped";
}

TEST_F(EngineTest, PipelineParallelLimitIsObservedToo) {
  start_engine();
  const std::string counts = dir_.str() + "/counts";
  std::string id = submit(overlap_probe("max_parallel: 1\n", 4, "0.05", counts));
  ASSERT_EQ(wait_finished(id), "success");
  std::istringstream in(read_file(counts));
  int n = 0;
  for (int c; in >> c; ++n) EXPECT_EQ(c, 1);
  EXPECT_EQ(n, 4);
}

TEST_F(EngineTest, CyclicPipelineIsRejectedAtSubmitWithTheCycle) {
  start_engine();
  NewExecution r;
  pipeline::Pipeline p;
  p.name = "cyclic";
  for (const char* id : {"a", "b", "c"}) {
    pipeline::Node n;
    n.id = n.name = id;
    n.steps = {{"run", "true"}};
    p.nodes.push_back(n);
  }
  p.nodes[0].needs = {"c"};
  p.nodes[1].needs = {"a"};
  p.nodes[2].needs = {"b"};
  r.pipeline = p;
  auto rec = engine_->submit(r);
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.error().code, ErrorCode::kValidation);
  EXPECT_NE(rec.error().message.find("cycle"), std::string::npos) << rec.error().message;
  EXPECT_NE(rec.error().message.find("a → b → c → a"), std::string::npos) << rec.error().message;
}

TEST_F(EngineTest, SubmitValidatesTheRequest) {
  start_engine();
  NewExecution none;
  EXPECT_EQ(engine_->submit(none).error().field, "pipeline");
  auto bad_trigger = request("nodes: {a: {run: 'true'}}");
  bad_trigger.trigger_type = "cron";
  EXPECT_EQ(engine_->submit(bad_trigger).error().field, "trigger_type");
  auto bad_dir = request("nodes: {a: {run: 'true'}}");
  bad_dir.workspace = {WorkspaceSource::Kind::kDirectory, dir_.str() + "/nope", ""};
  EXPECT_EQ(engine_->submit(bad_dir).error().field, "workspace.path");
}

TEST_F(EngineTest, EngineThatIsNotRunningAnswersUnavailable) {
  Engine engine(*journal_, runner_, bus_, SystemClock::instance(), options_);
  EXPECT_EQ(engine.submit(request("nodes: {a: {run: 'true'}}")).error().code,
            ErrorCode::kUnavailable);
  EXPECT_EQ(engine.cancel("x", "", "").error().code, ErrorCode::kUnavailable);
}

TEST_F(EngineTest, StepsRunInTheWorkspaceWithAMinimalEnvironment) {
  start_engine();
  setenv("OPZENIX_TEST_SERVER_SECRET", "hunter2", 1);
  auto r = request(R"(
env: {FROM_PIPELINE: p}
nodes:
  a:
    env: {FROM_NODE: n}
    environment: Staging
    run: 'pwd; env | sort'
)");
  r.workspace = {WorkspaceSource::Kind::kDirectory, dir_.str(), ""};
  r.tag = "v1.0";
  std::string id = submit(std::move(r));
  ASSERT_EQ(wait_finished(id), "success");
  unsetenv("OPZENIX_TEST_SERVER_SECRET");
  auto out = log_messages(id, "a", "stdout");
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0], dir_.str());
  std::set<std::string> env(out.begin() + 1, out.end());
  EXPECT_TRUE(env.count("FROM_PIPELINE=p"));
  EXPECT_TRUE(env.count("FROM_NODE=n"));
  EXPECT_TRUE(env.count("OPZENIX_EXECUTION_ID=" + id));
  EXPECT_TRUE(env.count("OPZENIX_NODE_ID=a"));
  EXPECT_TRUE(env.count("OPZENIX_BRANCH=main"));
  EXPECT_TRUE(env.count("OPZENIX_TAG=v1.0"));
  EXPECT_TRUE(env.count("OPZENIX_ENVIRONMENT=Staging"));
  EXPECT_TRUE(env.count("OPZENIX_COMMIT_SHA=0123456789abcdef0123456789abcdef01234567"));
  for (const auto& e : env) EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
}

TEST_F(EngineTest, NodesWithoutStepsSucceedAtOnce) {
  start_engine();
  std::string id = submit(R"(
nodes:
  start: {type: trigger}
  build: {needs: start, run: 'true'}
  announce: {type: notify, needs: build}
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto start = node(id, "start");
  EXPECT_EQ(start.status, "success");
  EXPECT_EQ(start.attempt, 1);
  EXPECT_FALSE(start.exit_code.has_value());
  EXPECT_EQ(node(id, "announce").status, "success");
}

TEST_F(EngineTest, BinaryOutputIsRecordedAsText) {
  start_engine();
  std::string id = submit(R"(
nodes:
  bin:
    run: |
      printf 'a\000b\377c\n'; head -c 3000 /dev/urandom; echo
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto out = log_messages(id, "bin", "stdout");
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0].find('\0'), std::string::npos);
  EXPECT_EQ(out[0].substr(0, 1), "a");
}

TEST_F(EngineTest, AStepThatForksADaemonCompletesAndTheDaemonDies) {
  start_engine();
  const std::string pidfile = dir_.str() + "/daemon.pid";
  auto started = std::chrono::steady_clock::now();
  std::string id =
      submit("nodes:\n  d: {run: 'sleep 30 & echo $! > " + pidfile + "; echo forked'}\n");
  ASSERT_EQ(wait_finished(id), "success");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  pid_t daemon = std::stoi(read_file(pidfile));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (::kill(daemon, 0) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(::kill(daemon, 0), 0) << "the forked sleep must be gone";
}

TEST_F(EngineTest, OutputBeyondTheCapIsDroppedAndSaidSo) {
  options_.node_log_cap_bytes = 1000;
  start_engine();
  std::string id = submit(R"(
nodes:
  chatty: {run: 'i=0; while [ $i -lt 200 ]; do echo "line number $i"; i=$((i+1)); done'}
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto n = node(id, "chatty");
  EXPECT_TRUE(n.log_truncated);
  EXPECT_LE(n.log_bytes, 1000);
  auto out = log_messages(id, "chatty", "stdout");
  EXPECT_LT(out.size(), 200u);
  auto system = log_messages(id, "chatty", "system");
  ASSERT_FALSE(system.empty());
  EXPECT_EQ(system.back().rfind("log truncated: ", 0), 0u) << system.back();
  EXPECT_NE(system.back().find(" bytes dropped"), std::string::npos);
}

TEST_F(EngineTest, NodesQueueForTheGlobalLimitAcrossExecutions) {
  options_.max_parallel = 2;
  start_engine();
  const std::string running = dir_.str() + "/running";
  std::filesystem::create_directories(running);
  const std::string counts = dir_.str() + "/counts";
  std::string yaml = "nodes:\n";
  for (int i = 0; i < 3; ++i) {
    yaml += "  n" + std::to_string(i) + ": {run: 'touch " + running +
            "/$OPZENIX_EXECUTION_ID$OPZENIX_NODE_ID; ls " + running + " | wc -l >> " + counts +
            "; sleep 0.1; rm " + running + "/$OPZENIX_EXECUTION_ID$OPZENIX_NODE_ID'}\n";
  }
  std::string a = submit(yaml);
  std::string b = submit(yaml);
  ASSERT_EQ(wait_finished(a), "success");
  ASSERT_EQ(wait_finished(b), "success");
  std::istringstream in(read_file(counts));
  int n = 0;
  for (int c; in >> c; ++n) EXPECT_LE(c, 2);
  EXPECT_EQ(n, 6);
  int queued = 0;
  for (const std::string& id : {a, b}) {
    auto events = history_->state_events(id);
    ASSERT_TRUE(events.ok());
    for (const auto& e : *events) queued += e.new_state == "queued";
  }
  EXPECT_GT(queued, 0);
}

TEST_F(EngineTest, MetricsCountExecutionsAndNodes) {
  telemetry::MetricsRegistry registry;
  Engine engine(*journal_, runner_, bus_, SystemClock::instance(), options_, &registry);
  engine.start();
  auto rec = engine.submit(request("nodes:\n  a: {run: 'true'}\n  b: {run: 'exit 1'}\n"));
  ASSERT_TRUE(rec.ok());
  ASSERT_EQ(wait_finished(rec->id), "failed");
  engine.stop();
  const std::string text = registry.render();
  EXPECT_NE(text.find("opzenix_executions_started_total 1"), std::string::npos) << text;
  EXPECT_NE(text.find("opzenix_executions_finished_total{status=\"failed\"} 1"), std::string::npos);
  EXPECT_NE(text.find("opzenix_nodes_finished_total{status=\"success\"} 1"), std::string::npos);
  EXPECT_NE(text.find("opzenix_nodes_finished_total{status=\"failed\"} 1"), std::string::npos);
  EXPECT_NE(text.find("opzenix_node_duration_seconds_count 2"), std::string::npos);
  EXPECT_NE(text.find("opzenix_executions_running 0"), std::string::npos);
}

}  // namespace
}  // namespace opz::engine
