// Remote agents through the real binary (issue 14, docs/agents.md): a server
// with a short lease timeout and two real `opzenix agent` processes. Nodes
// with runs_on run on the agent with their labels (log lines, exit codes and
// outputs arrive); kill -9 of an agent mid-node: after the lease timeout the
// node is retried on the other agent; the dead agent's late complete is
// refused (409) and changes nothing. Waits poll with generous deadlines.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fcntl.h>
#include <regex>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

// A running `opzenix agent`; SIGTERM + reap on destruction.
class AgentProcess {
 public:
  AgentProcess(const std::string& server, const std::string& token, const std::string& labels,
               const std::string& work_dir, const std::string& log_path) {
    std::vector<std::string> args = {opzenix_binary(), "agent",          "--server", server,
                                     "--token",        token,            "--labels", labels,
                                     "--work-dir",     work_dir,         "--concurrency", "2"};
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(fd, 1);
      dup2(fd, 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~AgentProcess() { stop(SIGTERM); }
  void stop(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    int status = 0;
    for (int i = 0; i < 200 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

class AgentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerProcess::Options o;
    o.extra_args = {"--agent-lease-timeout", "3s"};
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
    return std::make_unique<AgentProcess>(server_->base_url(), token, labels,
                                          dir_.str() + "/" + name,
                                          dir_.str() + "/" + name + ".log");
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

}  // namespace
}  // namespace opz::testing
