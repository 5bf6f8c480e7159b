// An agent that knows several servers (issue 14, docs/agents.md "Several
// servers"), through the real binaries: `opzenix agent --server A,B` (which
// execs the slim `opzenix-agent`).
// 1. The first URL is dead (a closed loopback port): the agent moves on to
//    the live server and runs a job there (any backend).
// 2. Two servers on one PostgreSQL: the agent polls A first and takes B's
//    job through A; A is killed (SIGKILL) mid-job; the agent's heartbeats and
//    complete move to B, which owns the execution: it succeeds with the
//    step's output, and the step ran once.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "two_servers_fixture.h"
#include "support/agent_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

// A loopback port nothing listens on: bound, then closed.
int closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}


class AgentFailoverTest : public TwoServersTest {
 protected:
  std::unique_ptr<AgentProcess> start_agent(const std::string& servers, const std::string& token) {
    return std::make_unique<AgentProcess>(AgentProcess::Options{.server = servers,
                                                                .token = token,
                                                                .work_dir = dir_.str() + "/agent",
                                                                .log_path = agent_log()});
  }
  std::string agent_log() const { return dir_.str() + "/agent.log"; }

  TempDir dir_;
};

TEST_F(AgentFailoverTest, AnAgentWhoseFirstServerIsDeadRunsItsJobOnTheNext) {
  a_ = std::make_unique<ServerProcess>(ServerProcess::Options{});
  token_ = a_->create_user_and_login("admin@example.com", "admin");
  const std::string dead = "http://127.0.0.1:" + std::to_string(closed_port());
  auto agent = start_agent(dead + "," + a_->base_url(), register_agent(*a_, "two-urls"));
  const std::string id = start_on(*a_, R"yaml(name: failover
nodes:
  build:
    runs_on: [linux]
    run: echo "built on $OPZENIX_AGENT_JOB_ID"; echo "artifact=ok" >> "$OPZENIX_OUTPUT"
)yaml");
  json d = wait_finished(*a_, id, agent_log());
  EXPECT_EQ(d["status"], "success") << d.dump();
  const std::string log = read_all(agent_log());
  EXPECT_NE(log.find("server " + dead), std::string::npos) << log;
  EXPECT_NE(log.find("switching to " + a_->base_url()), std::string::npos) << log;
  auto logs = api(*a_).get("/api/v1/executions/" + id + "/nodes/build/logs?limit=100");
  EXPECT_NE(logs.body.find("built on "), std::string::npos) << logs.body;
}

TEST_F(AgentFailoverTest, AnAgentWhoseServerIsKilledMidJobCompletesItThroughTheOther) {
  start_two_servers({"--agent-lease-timeout", "20s", "--server-lease-timeout", "30s"});
  if (IsSkipped()) return;
  auto agent = start_agent(a_->base_url() + "," + b_->base_url(), register_agent(*b_, "pair"));
  const std::string marker = dir_.str() + "/marker";
  // B runs the execution (it was started there); the agent takes its job
  // through A, its first server.
  const std::string id = start_on(*b_, R"yaml(name: failover
nodes:
  slow:
    runs_on: [linux]
    run: echo ran >> )yaml" + marker + R"yaml(; sleep 4; echo "done=yes" >> "$OPZENIX_OUTPUT"
  after:
    needs: slow
    run: echo "slow said $OPZENIX_OUT_SLOW_DONE"
)yaml");
  for (int i = 0; i < 600 && read_all(marker).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_FALSE(read_all(marker).empty()) << "the step did not start:\n" << read_all(agent_log());
  EXPECT_EQ(a_->stop(SIGKILL), 128 + SIGKILL);

  json d = wait_finished(*b_, id, agent_log());
  EXPECT_EQ(d["status"], "success") << d.dump();
  auto after = api(*b_).get("/api/v1/executions/" + id + "/nodes/after/logs?limit=100");
  EXPECT_NE(after.body.find("slow said yes"), std::string::npos) << after.body;
  EXPECT_EQ(read_all(marker), "ran\n") << "the step ran more than once";
  const std::string log = read_all(agent_log());
  EXPECT_NE(log.find("switching to " + b_->base_url()), std::string::npos) << log;
}

}  // namespace
}  // namespace opz::testing
