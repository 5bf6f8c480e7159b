// An agent's log lines reach the node's log whichever server it posts them
// to (docs/scaling.md "Log lines across servers"), through the real
// binaries: servers A and B on one PostgreSQL, the execution started on B
// (B's runner waits for the job), an agent that knows only A. Every batch
// the agent posts goes to A, which spools it; B hands the lines on to the
// node's log: each line once, in the order the step printed them, and the
// step's output after them reaches the next node.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "support/agent_process.h"
#include "support/temp_dir.h"
#include "two_servers_fixture.h"

namespace opz::testing {
namespace {

using nlohmann::json;

class AgentLogsAcrossServersTest : public TwoServersTest {
 protected:
  std::string agent_log() const { return dir_.str() + "/agent.log"; }
  std::vector<std::string> log_messages(const ServerProcess& server, const std::string& id,
                                        const std::string& node) {
    auto r = api(server).get("/api/v1/executions/" + id + "/nodes/" + node + "/logs?limit=1000");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const json body = r.json();
    for (const auto& l : body["items"]) out.push_back(l["message"].get<std::string>());
    return out;
  }

  TempDir dir_;
};

TEST_F(AgentLogsAcrossServersTest, LinesPostedToTheOtherServerReachTheOwnersNodeLogInOrder) {
  start_two_servers({});
  if (IsSkipped()) return;
  AgentProcess agent(AgentProcess::Options{.server = a_->base_url(),
                                           .token = register_agent(*a_, "only-a"),
                                           .work_dir = dir_.str() + "/agent",
                                           .log_path = agent_log()});
  // About 3 s of output: many batches (the agent flushes every 200 ms).
  const std::string id = start_on(*b_, R"yaml(name: spool
nodes:
  talk:
    runs_on: [linux]
    run: for i in $(seq 1 60); do echo "line $i"; sleep 0.05; done; echo "said=60" >> "$OPZENIX_OUTPUT"
  after:
    needs: talk
    run: echo "talk said $OPZENIX_OUT_TALK_SAID"
)yaml");
  json d = wait_finished(*b_, id, agent_log());
  EXPECT_EQ(d["status"], "success") << d.dump();

  std::vector<std::string> lines;
  bool claim_noted = false;
  for (const std::string& m : log_messages(*b_, id, "talk")) {
    if (m.rfind("line ", 0) == 0) lines.push_back(m);
    if (m.find("[opzenix] running on agent only-a") != std::string::npos) claim_noted = true;
  }
  std::vector<std::string> expected;
  for (int i = 1; i <= 60; ++i) expected.push_back("line " + std::to_string(i));
  EXPECT_EQ(lines, expected) << "every line once, in order, though the agent only talked to A";
  EXPECT_TRUE(claim_noted) << "A's note of the claim reaches B's log too";
  bool said = false;
  for (const std::string& m : log_messages(*b_, id, "after"))
    said = said || m.find("talk said 60") != std::string::npos;
  EXPECT_TRUE(said);
}

}  // namespace
}  // namespace opz::testing
