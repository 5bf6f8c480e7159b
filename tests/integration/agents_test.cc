// Remote agents through the real binary (issue 14, docs/agents.md): a server
// with a short lease timeout and two real `opzenix agent` processes. Nodes
// with runs_on run on the agent with their labels (log lines, exit codes and
// outputs arrive); kill -9 of an agent mid-node: after the lease timeout the
// node is retried on the other agent; the dead agent's late complete is
// refused (409) and changes nothing. A node on an agent registers outputs
// and artifacts as a local node does. kill -9 of the server (not the agent)
// while an agent runs a node: the restarted server re-attaches to the job and
// the step runs once (the agent reaches the restarted server, on its new
// port, through a loopback forwarder). Waits poll with generous deadlines.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>

#include <fstream>
#include <regex>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/agent_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

class AgentsTest : public ::testing::Test {
 protected:
  virtual std::vector<std::string> server_args() { return {"--agent-lease-timeout", "3s"}; }
  void SetUp() override {
    ServerProcess::Options o;
    o.extra_args = server_args();
    server_ = std::make_unique<ServerProcess>(o);
    token_ = server_->create_user_and_login("admin@example.com", "admin");
    auto reg = api().post("/api/v1/agents/registration-tokens", json::object());
    ASSERT_EQ(reg.status, 201) << reg.body;
    registration_ = reg.json().value("token", "");
    ASSERT_FALSE(registration_.empty());
  }
  HttpClient api() const {
    HttpClient c(server_->base_url());
    c.set_token(token_);
    return c;
  }
  // `opzenix agent register`; answers the agent's token.
  std::string register_agent(const std::string& name, const std::string& labels) {
    auto r = run_command({opzenix_binary(), "agent", "register", "--server", server_->base_url(),
                          "--registration-token", registration_, "--name", name, "--labels",
                          labels});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string token = r.out;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
  }
  std::unique_ptr<AgentProcess> start_agent(const std::string& name, const std::string& token,
                                            const std::string& labels) {
    return std::make_unique<AgentProcess>(AgentProcess::Options{
        .server = server_->base_url(),
        .token = token,
        .labels = labels,
        .work_dir = dir_.str() + "/" + name,
        .log_path = dir_.str() + "/" + name + ".log"});
  }
  std::string start(const std::string& yaml) {
    auto r = api().post("/api/v1/executions", json{{"pipeline_yaml", yaml},
                                                   {"environment", "Development"},
                                                   {"branch", "main"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  json detail(const std::string& id) { return api().get("/api/v1/executions/" + id).json(); }
  json wait_finished(const std::string& id, int seconds = 120) {
    json last;
    for (int i = 0; i < seconds * 10; ++i) {
      last = detail(id);
      const std::string st = last.value("status", "");
      if (st == "success" || st == "failed" || st == "warning" || st == "cancelled") return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "execution " << id << " did not finish: " << last.dump();
    return last;
  }
  json node(const json& d, const std::string& node_id) {
    for (const auto& n : d["nodes"])
      if (n["node_id"] == node_id) return n;
    ADD_FAILURE() << "no node " << node_id;
    return json::object();
  }
  std::string logs(const std::string& id, const std::string& node_id) {
    auto r = api().get("/api/v1/executions/" + id + "/nodes/" + node_id + "/logs?limit=1000");
    EXPECT_EQ(r.status, 200) << r.body;
    std::string out;
    const json body = r.json();  // named: a range-for over r.json()[...] would dangle
    for (const auto& l : body["items"]) out += l["message"].get<std::string>() + "\n";
    return out;
  }
  // Polls the node's log until it matches `pattern`; answers the first match's groups.
  std::smatch wait_log(const std::string& id, const std::string& node_id,
                       const std::string& pattern, std::string& text) {
    std::smatch m;
    const std::regex re(pattern);
    for (int i = 0; i < 600; ++i) {
      text = logs(id, node_id);
      if (std::regex_search(text, m, re)) return m;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no '" << pattern << "' in the log of " << node_id << ":\n" << text;
    return m;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
  std::string registration_;
};

TEST_F(AgentsTest, LabelledNodesRunOnTheMatchingAgentAndALostAgentsNodeIsRetried) {
  const std::string alpha_token = register_agent("alpha", "linux,docker");
  const std::string beta_token = register_agent("beta", "linux,gpu");
  ASSERT_FALSE(alpha_token.empty());
  ASSERT_FALSE(beta_token.empty());
  EXPECT_EQ(HttpClient(server_->base_url()).post("/api/v1/agents/poll", json::object()).status, 401)
      << "an agent route without an agent token";
  std::map<std::string, std::unique_ptr<AgentProcess>> agents;
  agents["alpha"] = start_agent("alpha", alpha_token, "linux,docker");
  agents["beta"] = start_agent("beta", beta_token, "linux,gpu");

  auto list = api().get("/api/v1/agents");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["items"].size(), 2u) << list.body;
  EXPECT_EQ(list.json()["items"][0]["name"], "alpha");
  EXPECT_EQ(list.json()["items"][0]["labels"], json::parse(R"(["linux", "docker"])"));
  EXPECT_TRUE(list.json()["items"][0].contains("last_seen_at"));
  EXPECT_TRUE(list.json()["items"][0].contains("status"));

  // 1. Routing by labels: log lines, exit codes and outputs come back.
  const std::string id = start(R"yaml(name: agents
nodes:
  train:
    runs_on: [gpu]
    run: echo "training on $OPZENIX_NODE_ID"; echo "accuracy=0.97" >> "$OPZENIX_OUTPUT"
  package:
    runs_on: [linux, docker]
    continue_on_error: true
    run: echo "packaging" >&2; exit 3
  report:
    needs: train
    run: echo "accuracy was $OPZENIX_OUT_TRAIN_ACCURACY"
)yaml");
  json d = wait_finished(id);
  EXPECT_EQ(node(d, "train")["status"], "success") << d.dump();
  EXPECT_EQ(node(d, "package")["status"], "failed") << d.dump();
  EXPECT_NE(node(d, "package")["error"].get<std::string>().find("exited with code 3"),
            std::string::npos)
      << d.dump();
  EXPECT_EQ(node(d, "report")["status"], "success");
  const std::string train = logs(id, "train");
  EXPECT_NE(train.find("running on agent beta"), std::string::npos) << train;
  EXPECT_NE(train.find("training on train"), std::string::npos) << train;
  const std::string package = logs(id, "package");
  EXPECT_NE(package.find("running on agent alpha"), std::string::npos) << package;
  EXPECT_NE(package.find("packaging"), std::string::npos) << package;
  EXPECT_NE(logs(id, "report").find("accuracy was 0.97"), std::string::npos);

  // 2. kill -9 the agent running a node: retried on the other after the lease.
  const std::string slow = start(R"yaml(name: slow
nodes:
  slow:
    runs_on: [linux]
    retry: {max_attempts: 2, initial: 1s, max: 1s}
    run: echo "attempt $OPZENIX_ATTEMPT"; sleep 4; echo "finished attempt $OPZENIX_ATTEMPT"
)yaml");
  std::string text;
  std::smatch first = wait_log(slow, "slow", "running on agent (alpha|beta) \\(job ([0-9a-f-]+), "
                                             "lease generation ([0-9]+)\\)", text);
  ASSERT_EQ(first.size(), 4u);
  const std::string victim = first[1], job_id = first[2], generation = first[3];
  const std::string survivor = victim == "alpha" ? "beta" : "alpha";
  agents[victim]->stop(SIGKILL);
  d = wait_finished(slow);
  EXPECT_EQ(node(d, "slow")["status"], "success") << d.dump();
  EXPECT_EQ(node(d, "slow")["attempt"], 2) << d.dump();
  text = logs(slow, "slow");
  EXPECT_NE(text.find("agent " + victim + " lost"), std::string::npos) << text;
  EXPECT_NE(text.find("running on agent " + survivor), std::string::npos) << text;
  EXPECT_NE(text.find("finished attempt 2"), std::string::npos) << text;

  // 3. The lost agent's late result: 409, nothing changes.
  HttpClient dead(server_->base_url());
  dead.set_token(victim == "alpha" ? alpha_token : beta_token);
  auto late = dead.post("/api/v1/agents/jobs/" + job_id + "/complete",
                        json{{"generation", std::stoll(generation)}, {"exit_code", 0}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.json()["error"].value("field", ""), "generation") << late.body;
  json after = detail(slow);
  EXPECT_EQ(node(after, "slow")["attempt"], 2);
  EXPECT_EQ(after["status"], "success");
}

TEST_F(AgentsTest, ProtocolErrorsNameTheField) {
  HttpClient anon(server_->base_url());
  auto bad = anon.post("/api/v1/agents/register",
                       json{{"registration_token", registration_}, {"name", "x"}, {"labels", "a"}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  auto wrong = anon.post("/api/v1/agents/register",
                         json{{"registration_token", "opzr_nope"}, {"name", "x"}});
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  auto ok = anon.post("/api/v1/agents/register",
                      json{{"registration_token", registration_}, {"name", "x"}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  HttpClient agent(server_->base_url());
  agent.set_token(ok.json().value("token", ""));
  auto no_gen = agent.post("/api/v1/agents/jobs/" + std::string("0190a0a0-0000-7000-8000-000000000000") +
                               "/heartbeat",
                           json::object());
  EXPECT_EQ(no_gen.status, 422) << no_gen.body;
  auto idle = agent.post("/api/v1/agents/poll", json{{"wait_ms", 0}});
  EXPECT_EQ(idle.status, 204) << idle.body;
  auto too_long = agent.post("/api/v1/agents/poll", json{{"wait_ms", 600000}});
  EXPECT_EQ(too_long.status, 422) << too_long.body;
  auto viewer = server_->create_user_and_login("viewer@example.com", "viewer");
  HttpClient v(server_->base_url());
  v.set_token(viewer);
  EXPECT_EQ(v.post("/api/v1/agents/registration-tokens", json::object()).status, 403);
  EXPECT_EQ(v.get("/api/v1/agents").status, 200);
}

TEST_F(AgentsTest, OutputsAndArtifactsOfANodeOnAnAgentAreRegisteredAsForALocalNode) {
  auto alpha = start_agent("alpha", register_agent("alpha", "linux"), "linux");
  const std::string id = start(R"yaml(name: artifacts
nodes:
  build:
    runs_on: [linux]
    run: |
      echo "version=1.2.3" >> "$OPZENIX_OUTPUT"
      echo "artifact.app=registry.example.com/team/app:1.2.3@sha256:abc" >> "$OPZENIX_OUTPUT"
      echo "artifact.app.size_bytes=42" >> "$OPZENIX_OUTPUT"
  remote:
    needs: build
    runs_on: [linux]
    run: echo "remote read $OPZENIX_OUT_BUILD_VERSION"
  local:
    needs: build
    run: echo "local read $OPZENIX_OUT_BUILD_VERSION"
)yaml");
  json d = wait_finished(id);
  ASSERT_EQ(d["status"], "success") << d.dump();
  EXPECT_EQ(node(d, "build")["outputs"]["version"], "1.2.3") << d.dump();
  EXPECT_NE(logs(id, "build").find("running on agent alpha"), std::string::npos);
  EXPECT_NE(logs(id, "remote").find("remote read 1.2.3"), std::string::npos) << logs(id, "remote");
  EXPECT_NE(logs(id, "local").find("local read 1.2.3"), std::string::npos) << logs(id, "local");
  auto artifacts = api().get("/api/v1/executions/" + id + "/artifacts");
  ASSERT_EQ(artifacts.status, 200) << artifacts.body;
  const json items = artifacts.json()["items"];
  ASSERT_EQ(items.size(), 1u) << artifacts.body;
  EXPECT_EQ(items[0]["name"], "app");
  EXPECT_EQ(items[0]["node_id"], "build");
  EXPECT_EQ(items[0]["registry_url"], "registry.example.com/team/app");
  EXPECT_EQ(items[0]["image_tag"], "1.2.3");
  EXPECT_EQ(items[0]["image_digest"], "sha256:abc");
  EXPECT_EQ(items[0]["size_bytes"], 42);
}

// A loopback TCP forwarder: the agent talks to its fixed port, which
// forwards each connection to the server's current port (a restarted server
// listens on a new one). One thread per connection; test-only.
class Forwarder {
 public:
  Forwarder() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listen_fd_, 64);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~Forwarder() {
    stop_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    acceptor_.join();
    for (std::thread& t : pipes_) t.join();
  }
  void target(int port) { target_ = port; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void accept_loop() {
    while (!stop_) {
      int client = accept(listen_fd_, nullptr, nullptr);
      if (client < 0) return;
      pipes_.emplace_back([this, client] { relay(client); });
    }
  }
  void relay(int client) {
    int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(target_.load()));
    if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      char buf[16384];
      while (!stop_ && poll(fds, 2, 200) >= 0) {
        bool closed = false;
        for (int i = 0; i < 2 && !closed; ++i) {
          if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
          ssize_t n = read(fds[i].fd, buf, sizeof buf);
          closed = n <= 0 || write(fds[1 - i].fd, buf, static_cast<size_t>(n)) != n;
        }
        if (closed) break;
      }
    }
    close(server);
    close(client);
  }
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> target_{0};
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::vector<std::thread> pipes_;  // only the acceptor adds; joined at the end
};

class AgentsRestartTest : public AgentsTest {
 protected:
  // A lease long enough to outlive the restart.
  std::vector<std::string> server_args() override { return {"--agent-lease-timeout", "20s"}; }
};

TEST_F(AgentsRestartTest, AServerKilledWhileAnAgentRunsANodeReattachesAndTheStepRunsOnce) {
  Forwarder forwarder;
  forwarder.target(server_->port());
  AgentProcess alpha({.server = forwarder.url(),
                      .token = register_agent("alpha", "linux"),
                      .work_dir = dir_.str() + "/alpha",
                      .log_path = dir_.str() + "/alpha.log"});
  const std::string marker = dir_.str() + "/marker";
  // The engine resumes a node that was running as its next attempt (hence
  // the retry policy); the agent's job is adopted, not run again. The step
  // drops OPZENIX_EXECUTION_ID from its process's environment: the agent
  // runs on the server's machine here, and the server's crash recovery kills
  // every process carrying that variable (engine/leftover_processes.h), which
  // would kill the agent's step too.
  const std::string id = start(R"yaml(name: restart
nodes:
  slow:
    runs_on: [linux]
    retry: {max_attempts: 2, initial: 1s, max: 1s}
    run: exec env -u OPZENIX_EXECUTION_ID sh -c 'echo ran >> )yaml" + marker + R"yaml(; sleep 5; echo "done=yes" >> "$OPZENIX_OUTPUT"'
  after:
    needs: slow
    run: echo "slow said $OPZENIX_OUT_SLOW_DONE"
)yaml");
  std::string text;
  wait_log(id, "slow", "running on agent alpha", text);
  for (int i = 0; i < 100 && !std::ifstream(marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(std::ifstream(marker).good()) << "the step did not start";
  EXPECT_EQ(server_->stop(SIGKILL), 128 + SIGKILL);
  server_->restart();
  forwarder.target(server_->port());
  json d = wait_finished(id);
  EXPECT_EQ(d["status"], "success") << d.dump();
  text = logs(id, "slow");
  EXPECT_NE(text.find("re-attached to job"), std::string::npos) << text;
  EXPECT_NE(logs(id, "after").find("slow said yes"), std::string::npos) << logs(id, "after");
  std::ifstream in(marker);
  int lines = 0;
  for (std::string l; std::getline(in, l);) ++lines;
  EXPECT_EQ(lines, 1) << "the step ran " << lines << " times";
}

}  // namespace
}  // namespace opz::testing
