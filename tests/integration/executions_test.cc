// Executions through the real server: a pipeline runs real processes, records
// logs/events/checkpoints, passes outputs downstream; cancel kills processes;
// `kill -9` of the server mid-run is recovered with the right attempt counts;
// rerun from a checkpoint; bad pipelines get precise errors; the seeds'
// /functions/v1 aliases work with their curl bodies.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

class ExecutionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    token_ = server_->create_user_and_login("admin@example.com", "admin");
  }
  HttpClient api() const {
    HttpClient c(server_->base_url());
    c.set_token(token_);
    return c;
  }
  std::string start(const std::string& yaml, const std::string& env = "Development") {
    auto r = api().post("/api/v1/executions",
                        json{{"pipeline_yaml", yaml}, {"environment", env}, {"branch", "main"}});
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_TRUE(r.json().contains("id")) << r.body;
    EXPECT_TRUE(r.json().contains("status")) << r.body;
    return r.json().value("id", "");
  }
  // Polls until the execution is finished (bounded); answers its detail.
  json wait_finished(const std::string& id, int seconds = 60) {
    json last;
    for (int i = 0; i < seconds * 20; ++i) {
      auto r = api().get("/api/v1/executions/" + id);
      if (r.status == 200) {
        last = r.json();
        const std::string st = last.value("status", "");
        if (st == "success" || st == "failed" || st == "warning" || st == "cancelled") return last;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution " << id << " did not finish: " << last.dump();
    return last;
  }
  json node(const json& detail, const std::string& node_id) {
    for (const auto& n : detail["nodes"])
      if (n["node_id"] == node_id) return n;
    ADD_FAILURE() << "no node " << node_id;
    return json::object();
  }
  // Polls until `pred(detail)`; bounded.
  template <typename Pred>
  json wait_until(const std::string& id, Pred pred, int seconds = 30) {
    json d;
    for (int i = 0; i < seconds * 50; ++i) {
      auto r = api().get("/api/v1/executions/" + id);
      if (r.status == 200) {
        d = r.json();
        if (pred(d)) return d;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "condition not reached: " << d.dump();
    return d;
  }
  std::string logs_text(const std::string& id, const std::string& node_id) {
    auto r = api().get("/api/v1/executions/" + id + "/nodes/" + node_id + "/logs");
    EXPECT_EQ(r.status, 200) << r.body;
    std::string out;
    const json body = r.json();
    for (const auto& l : body["items"]) out += l["message"].get<std::string>() + "\n";
    return out;
  }
  static bool process_alive_with(const std::string& marker) {
    // "[o]pz..." matches the marker but not this shell's own command line.
    auto r = run_command({"/bin/sh", "-c", "pgrep -f '[" + marker.substr(0, 1) + "]" +
                                              marker.substr(1) + "' >/dev/null"});
    return r.exit_code == 0;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(ExecutionsTest, PipelineRunsRecordsLogsEventsCheckpointsAndPassesOutputs) {
  const std::string yaml = R"yaml(name: demo
nodes:
  build:
    type: build
    steps:
      - name: compile
        run: echo "compiling $OPZENIX_BRANCH"; echo "version=1.2" >> "$OPZENIX_OUTPUT"
      - name: package
        run: echo packaged >&2
  test:
    type: test
    needs: build
    run: echo "testing version $version ($OPZENIX_OUT_BUILD_VERSION)"
  scan:
    type: scan
    needs: [build]
    run: echo scanning
  deploy:
    type: deploy
    needs: [build, test, scan]
    environment: Development
    run: echo "deploying $version to $OPZENIX_ENVIRONMENT"
)yaml";
  const std::string id = start(yaml);
  json d = wait_finished(id);
  EXPECT_EQ(d["status"], "success") << d.dump();
  EXPECT_EQ(d["progress"], 100);
  EXPECT_EQ(d["environment"], "Development");
  EXPECT_EQ(d["branch"], "main");
  ASSERT_EQ(d["nodes"].size(), 4u);
  for (const auto& n : d["nodes"]) {
    EXPECT_EQ(n["status"], "success") << n.dump();
    EXPECT_EQ(n["attempt"], 1) << n.dump();
    // A deploy node is a deployment (many commands), not one process.
    if (n["type"] != "deploy") {
      EXPECT_EQ(n["exit_code"], 0) << n.dump();
    }
    EXPECT_TRUE(n["duration_ms"].is_number()) << n.dump();
  }
  EXPECT_TRUE(node(d, "deploy")["outputs"].contains("version")) << node(d, "deploy").dump();
  EXPECT_EQ(node(d, "build")["outputs"]["version"], "1.2");
  // The graph: each node's needs and the edges between them.
  EXPECT_EQ(node(d, "deploy")["needs"], json::array({"build", "test", "scan"}));
  EXPECT_EQ(node(d, "build")["needs"], json::array());
  EXPECT_EQ(d["edges"].size(), 5u) << d["edges"].dump();
  EXPECT_NE(std::find(d["edges"].begin(), d["edges"].end(),
                      json{{"source", "test"}, {"target", "deploy"}}),
            d["edges"].end())
      << d["edges"].dump();
  EXPECT_NE(logs_text(id, "build").find("compiling main"), std::string::npos);
  EXPECT_NE(logs_text(id, "build").find("packaged"), std::string::npos);
  EXPECT_NE(logs_text(id, "test").find("testing version 1.2 (1.2)"), std::string::npos);
  EXPECT_NE(logs_text(id, "deploy").find("deploying 1.2 to Development"), std::string::npos);

  // Tailing with after=SEQ answers only newer lines.
  auto all = api().get("/api/v1/executions/" + id + "/nodes/build/logs").json();
  ASSERT_GE(all["items"].size(), 2u);
  const int64_t first = all["items"][0]["seq"];
  auto tail = api().get("/api/v1/executions/" + id + "/nodes/build/logs?after=" +
                        std::to_string(first)).json();
  EXPECT_EQ(tail["items"].size(), all["items"].size() - 1);

  auto events = api().get("/api/v1/executions/" + id + "/events");
  ASSERT_EQ(events.status, 200);
  bool saw_running = false, saw_success = false;
  const json event_list = events.json();
  for (const auto& e : event_list["items"]) {
    if (e["node_id"].is_null() && e["new_state"] == "running") saw_running = true;
    if (e["node_id"].is_null() && e["new_state"] == "success") {
      saw_success = true;
      EXPECT_EQ(e["old_state"], "running");
    }
  }
  EXPECT_TRUE(saw_running && saw_success) << events.body;

  // build, test, scan, deploy checkpoint by default (seeds' node table).
  auto cps = api().get("/api/v1/executions/" + id + "/checkpoints").json()["items"];
  std::set<std::string> nodes;
  for (const auto& c : cps) {
    nodes.insert(c["node_id"].get<std::string>());
    EXPECT_TRUE(c["state"].contains("previous_nodes")) << c.dump();
    EXPECT_TRUE(c["state"].contains("metadata")) << c.dump();
    EXPECT_EQ(c["state"]["metadata"]["branch"], "main");
  }
  EXPECT_EQ(nodes, (std::set<std::string>{"build", "test", "scan", "deploy"}));

  // Filters: the list finds it by status, environment and branch.
  auto list = api().get("/api/v1/executions?status=success&environment=Development&branch=main");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  const json listed = list.json();
  for (const auto& e : listed["items"]) found = found || e["id"] == id;
  EXPECT_TRUE(found);
}

TEST_F(ExecutionsTest, FailureSkipsDependentsAndSiblingsFinish) {
  const std::string id = start(R"(name: f
nodes:
  a: {run: "exit 3"}
  b: {run: "sleep 0.3; echo sibling-done"}
  c: {needs: a, run: "echo never"}
)");
  json d = wait_finished(id);
  EXPECT_EQ(d["status"], "failed");
  EXPECT_EQ(node(d, "a")["status"], "failed");
  EXPECT_EQ(node(d, "a")["exit_code"], 3);
  EXPECT_EQ(node(d, "b")["status"], "success");
  EXPECT_EQ(node(d, "c")["status"], "skipped");
}

TEST_F(ExecutionsTest, CancelKillsRunningProcessesWithinTwoSeconds) {
  const std::string marker = "opz-cancel-marker-" + std::to_string(getpid());
  const std::string id = start("name: c\nnodes:\n  long:\n    run: \"sleep 30 # " + marker + "\"\n");
  wait_until(id, [&](const json& d) { return node(d, "long")["status"] == "running"; });
  ASSERT_TRUE(process_alive_with(marker));
  const auto t0 = std::chrono::steady_clock::now();
  auto r = api().post("/api/v1/executions/" + id + "/cancel", json{{"reason", "testing cancel"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json d = wait_finished(id, 10);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(d["status"], "cancelled");
  EXPECT_EQ(d["cancel_reason"], "testing cancel");
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  for (int i = 0; i < 40 && process_alive_with(marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(process_alive_with(marker));
  // Cancelling a finished execution is a conflict.
  EXPECT_EQ(api().post("/api/v1/executions/" + id + "/cancel", json::object()).status, 409);
}

TEST_F(ExecutionsTest, KillMinusNineMidRunIsRecoveredWithAttemptCounts) {
  const std::string marker = "opz-crash-marker-" + std::to_string(getpid());
  const std::string yaml = "name: crash\nnodes:\n"
                           "  first: {run: \"echo first\"}\n"
                           "  slow:\n"
                           "    needs: first\n"
                           "    retry: {max_attempts: 2, initial: 1s, max: 1s}\n"
                           "    run: \"sleep 2 # " + marker + "\"\n"
                           "  once:\n"
                           "    needs: first\n"
                           "    run: \"sleep 2 # " + marker + "-once\"\n"
                           "  last: {needs: [slow], run: \"echo last\"}\n";
  const std::string id = start(yaml);
  wait_until(id, [&](const json& d) {
    return node(d, "slow")["status"] == "running" && node(d, "once")["status"] == "running";
  });
  EXPECT_EQ(server_->stop(SIGKILL), 128 + SIGKILL);
  server_->restart();
  json d = wait_finished(id, 60);
  EXPECT_EQ(node(d, "first")["status"], "success");
  EXPECT_EQ(node(d, "first")["attempt"], 1);
  // Retries left: run again as attempt 2 and succeed.
  EXPECT_EQ(node(d, "slow")["status"], "success") << d.dump();
  EXPECT_EQ(node(d, "slow")["attempt"], 2);
  // No retries left: failed, saying why.
  EXPECT_EQ(node(d, "once")["status"], "failed") << d.dump();
  EXPECT_NE(node(d, "once")["error"].get<std::string>().find("no retries left"), std::string::npos);
  EXPECT_EQ(node(d, "last")["status"], "success");
  EXPECT_EQ(d["status"], "failed");
  // The dead server's step processes did not survive it.
  EXPECT_FALSE(process_alive_with(marker + "-once"));
}

TEST_F(ExecutionsTest, RerunFromCheckpointAndFailedOnly) {
  TempDir flag_dir;
  const std::string flag = flag_dir.str() + "/go";
  const std::string yaml = "name: r\nnodes:\n"
                           "  build: {type: build, run: \"echo built; echo v=7 >> $OPZENIX_OUTPUT\"}\n"
                           "  deploy: {type: deploy, needs: build, run: \"test -f " + flag +
                           " && echo deployed $v\"}\n";
  const std::string id = start(yaml);
  json d = wait_finished(id);
  ASSERT_EQ(d["status"], "failed");
  auto cps = api().get("/api/v1/executions/" + id + "/checkpoints").json()["items"];
  ASSERT_EQ(cps.size(), 1u);
  EXPECT_EQ(cps[0]["node_id"], "build");
  std::ofstream(flag) << "x";
  auto rr = api().post("/api/v1/executions/" + id + "/rerun",
                       json{{"checkpoint_id", cps[0]["id"]}});
  ASSERT_EQ(rr.status, 201) << rr.body;
  const std::string rid = rr.json()["id"];
  EXPECT_NE(rid, id);
  json r = wait_finished(rid);
  EXPECT_EQ(r["status"], "success") << r.dump();
  EXPECT_EQ(r["parent_execution_id"], id);
  EXPECT_EQ(r["trigger_type"], "rerun");
  EXPECT_EQ(node(r, "build")["status"], "success");
  EXPECT_EQ(node(r, "build")["outputs"]["v"], "7");
  EXPECT_EQ(logs_text(rid, "build").find("built"), std::string::npos) << "build must not run again";
  EXPECT_NE(logs_text(rid, "deploy").find("deployed 7"), std::string::npos);

  // The seeds' body works on the alias too (curl -d without Content-Type).
  auto alias = api().request("POST", "/functions/v1/rerun-from-checkpoint",
                             json{{"checkpoint_id", cps[0]["id"]}, {"execution_id", id}}.dump(),
                             {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(alias.status, 201) << alias.body;
  auto failed_only = api().post("/api/v1/executions/" + id + "/rerun", json{{"failed_only", true}});
  ASSERT_EQ(failed_only.status, 201) << failed_only.body;
  json f = wait_finished(failed_only.json()["id"]);
  EXPECT_EQ(f["status"], "success");
}

TEST_F(ExecutionsTest, BadPipelinesGetPreciseErrors) {
  auto cyc = api().post("/api/v1/executions",
                        json{{"environment", "Development"},
                             {"pipeline_yaml", "name: c\nnodes:\n  a: {needs: c, run: x}\n  b: "
                                               "{needs: a, run: x}\n  c: {needs: b, run: x}\n"}});
  EXPECT_EQ(cyc.status, 422) << cyc.body;
  EXPECT_NE(cyc.body.find("→"), std::string::npos) << cyc.body;
  auto syntax = api().post("/api/v1/executions",
                           json{{"environment", "Development"},
                                {"pipeline_yaml", "name: x\nnodes:\n  a: {run: [unclosed\n"}});
  EXPECT_TRUE(syntax.status == 400 || syntax.status == 422) << syntax.body;
  EXPECT_NE(syntax.body.find("line"), std::string::npos) << syntax.body;
  auto unknown = api().post("/api/v1/executions",
                            json{{"environment", "Development"},
                                 {"pipeline_yaml", "name: x\nnodes:\n  a: {runn: echo}\n"}});
  EXPECT_EQ(unknown.status, 422);
  auto listed = api().post("/api/v1/pipelines/validate",
                           json{{"pipeline_yaml", "name: x\nnodes:\n  a: {runn: echo}\n"}});
  EXPECT_NE(listed.body.find("runn"), std::string::npos) << listed.body;
  auto no_env = api().post("/api/v1/executions", json{{"pipeline_yaml", "name: x\nnodes:\n  a: {run: echo}\n"}});
  EXPECT_EQ(no_env.status, 422);
  EXPECT_EQ(no_env.json()["error"]["field"], "environment");
  auto tmpl = api().post("/api/v1/executions",
                         json{{"environment", "Development"},
                              {"flow_template_id", "00000000-0000-4000-8000-000000000000"}});
  EXPECT_EQ(tmpl.status, 422) << tmpl.body;
  auto v = api().post("/api/v1/pipelines/validate",
                      json{{"pipeline_yaml", "name: c\nnodes:\n  a: {needs: b, run: x}\n  b: {needs: a, run: x}\n"}});
  ASSERT_EQ(v.status, 422) << v.body;
  EXPECT_EQ(v.json()["valid"], false);
  EXPECT_EQ(v.json()["error"]["code"], "validation_failed");
  EXPECT_GE(v.json()["errors"].size(), 1u);
}

TEST_F(ExecutionsTest, FlowTemplateRunsThroughTheSeedAliasAndCancelAlias) {
  json tmpl = {{"name", "visual"},
               {"type", "cicd"},
               {"nodes", json::array({
                   {{"id", "build"}, {"type", "build"}, {"position", {{"x", 0}, {"y", 0}}},
                    {"data", {{"label", "Build"}, {"run", "echo from-template"}}}},
                   {{"id", "hold"}, {"type", "run"},
                    {"data", {{"label", "Hold"}, {"run", "sleep 30"}}}}})},
               {"edges", json::array({{{"id", "e1"}, {"source", "build"}, {"target", "hold"}}})}};
  auto created = api().post("/api/v1/flow-templates", tmpl);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string template_id = created.json()["id"];
  // The seeds' curl: -d '{"flow_template_id": "<uuid>", "environment": "Development"}'
  auto run = api().request("POST", "/functions/v1/pipeline-execute",
                           json{{"flow_template_id", template_id}, {"environment", "Development"}}.dump(),
                           {"Content-Type: application/x-www-form-urlencoded"});
  ASSERT_EQ(run.status, 201) << run.body;
  const std::string id = run.json()["id"];
  json d = wait_until(id, [&](const json& x) { return node(x, "hold")["status"] == "running"; });
  EXPECT_EQ(node(d, "build")["status"], "success");
  EXPECT_EQ(d["flow_template_id"], template_id);
  EXPECT_NE(logs_text(id, "build").find("from-template"), std::string::npos);
  auto cancel = api().request("POST", "/functions/v1/execution-cancel",
                              json{{"execution_id", id}, {"reason", "Manual cancellation"}}.dump(),
                              {"Content-Type: application/x-www-form-urlencoded"});
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(wait_finished(id)["status"], "cancelled");
}

TEST_F(ExecutionsTest, ViewersCannotStartAndOperatorsCannotTouchProduction) {
  std::string viewer = server_->create_user_and_login("v@example.com", "viewer");
  std::string op = server_->create_user_and_login("o@example.com", "operator");
  HttpClient v(server_->base_url());
  v.set_token(viewer);
  auto r = v.post("/api/v1/executions", json{{"environment", "Development"},
                                            {"pipeline_yaml", "name: x\nnodes:\n  a: {run: echo}\n"}});
  EXPECT_EQ(r.status, 403);
  HttpClient o(server_->base_url());
  o.set_token(op);
  auto p = o.post("/api/v1/executions", json{{"environment", "Production"},
                                           {"pipeline_yaml", "name: x\nnodes:\n  a: {run: echo}\n"}});
  EXPECT_EQ(p.status, 403) << p.body;
  auto ok = o.post("/api/v1/executions", json{{"environment", "Staging"},
                                            {"pipeline_yaml", "name: x\nnodes:\n  a: {run: echo}\n"}});
  EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(ExecutionsTest, TenThousandNodesCompleteWhileTheServerStaysResponsive) {
  std::string yaml = "name: big\nnodes:\n";
  for (int i = 0; i < 10000; ++i) {
    yaml += "  n" + std::to_string(i) + ":\n    type: notify\n";
    if (i > 0) yaml += "    needs: [n" + std::to_string(i / 2) + "]\n";
  }
  const std::string id = start(yaml);
  auto h = HttpClient(server_->base_url()).get("/healthz");
  EXPECT_EQ(h.status, 200);
  json d = wait_finished(id, 120);
  EXPECT_EQ(d["status"], "success");
  EXPECT_EQ(d["nodes"].size(), 10000u);
}

}  // namespace
}  // namespace opz::testing
