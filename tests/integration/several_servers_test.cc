// Several servers on one PostgreSQL (issue 14, docs/postgres.md "Several
// servers"): two real `opzenix serve` processes share one database with
// --server-lease-timeout 3s. Executions of a 20-node pipeline of real steps
// start on A; A is killed with SIGKILL mid-run; B takes every execution over
// within a few lease periods and each completes, no node that had succeeded
// running again (every node appends a line to its own marker file as its
// last act). While both live, a cancel sent to B for an execution A runs is
// carried out by A. Runs only on PostgreSQL (OPZ_TEST_BACKEND=postgres):
// SQLite is one server's file.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string_view>
#include <thread>

#include "support/database_probe.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "two_servers_fixture.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr int kNodes = 20;
constexpr int kExecutions = 3;

class SeveralServersTest : public TwoServersTest {
 protected:
  void SetUp() override { start_two_servers({"--server-lease-timeout", "3s"}); }



  json detail(const ServerProcess& server, const std::string& id) {
    auto r = api(server).get("/api/v1/executions/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : json::object();
  }

  std::map<std::string, json> nodes(const json& d) {
    std::map<std::string, json> out;
    for (const auto& n : d.value("nodes", json::array())) out[n["node_id"]] = n;
    return out;
  }

  static bool finished(const std::string& status) {
    return status == "success" || status == "failed" || status == "warning" ||
           status == "cancelled";
  }

  std::string owner_of(const std::string& id) {
    auto owners = column_texts(DatabaseLocation(*b_),
                               "SELECT server_id FROM execution_owners WHERE execution_id = $1",
                               {id});
    return owners.empty() ? std::string() : owners[0];
  }

  int lines_in(const std::string& path) {
    std::ifstream in(path);
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

  TempDir markers_;
};

TEST_F(SeveralServersTest, KillingOneServerMidRunLetsTheOtherFinishEveryExecution) {
  // A chain of 20 nodes; each sleeps, then appends to its marker file, with
  // retries for the attempt the kill interrupts.
  std::string yaml = "name: chain\nnodes:\n";
  for (int i = 1; i <= kNodes; ++i) {
    yaml += "  n" + std::to_string(i) + ":\n";
    if (i > 1) yaml += "    needs: n" + std::to_string(i - 1) + "\n";
    yaml += "    retry: {max_attempts: 3, initial: 1s, max: 1s}\n";
    yaml += "    run: \"sleep 0.2 && echo done >> " + markers_.str() +
            "/$OPZENIX_EXECUTION_ID-n" + std::to_string(i) + "\"\n";
  }
  std::vector<std::string> ids;
  for (int e = 0; e < kExecutions; ++e) ids.push_back(start_on(*a_, yaml));
  for (const std::string& id : ids) ASSERT_FALSE(id.empty());

  // Mid-run: the first execution has a few nodes done.
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    ASSERT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
    if (nodes(detail(*b_, ids[0]))["n3"].value("status", "") == "success") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (const std::string& id : ids) EXPECT_NE(owner_of(id), "") << id;
  const std::string a_id = owner_of(ids[0]);
  EXPECT_EQ(a_->stop(SIGKILL), 128 + SIGKILL);
  const auto killed = std::chrono::steady_clock::now();

  // What had succeeded when A died must not run again.
  std::map<std::string, std::map<std::string, int>> done_before;  // id -> node -> attempt
  for (const std::string& id : ids)
    for (const auto& [node_id, n] : nodes(detail(*b_, id)))
      if (n.value("status", "") == "success") done_before[id][node_id] = n.value("attempt", 0);

  // B takes every unfinished execution over within a few lease periods.
  for (const std::string& id : ids) {
    for (;;) {
      const std::string status = detail(*b_, id).value("status", "");
      const std::string owner = owner_of(id);
      if (finished(status) || (!owner.empty() && owner != a_id)) break;
      ASSERT_LT(std::chrono::steady_clock::now() - killed, std::chrono::seconds(15))
          << "execution " << id << " still owned by the dead server";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  // ... and every one completes.
  for (const std::string& id : ids) {
    json d;
    for (;;) {
      d = detail(*b_, id);
      if (finished(d.value("status", ""))) break;
      ASSERT_LT(std::chrono::steady_clock::now() - killed, std::chrono::seconds(120))
          << "execution " << id << " did not finish: " << d.dump();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(d["status"], "success") << d.dump();
    for (const auto& [node_id, n] : nodes(d)) {
      const int lines = lines_in(markers_.str() + "/" + id + "-" + node_id);
      EXPECT_EQ(n.value("status", ""), "success") << id << " " << node_id;
      EXPECT_GE(lines, 1) << id << " " << node_id;
      EXPECT_LE(lines, n.value("attempt", 0)) << id << " " << node_id << " ran more often than "
                                              << "its attempts";
      auto before = done_before[id].find(node_id);
      if (before != done_before[id].end()) {
        EXPECT_EQ(lines, 1) << id << " " << node_id << " had succeeded and ran again";
        EXPECT_EQ(n.value("attempt", 0), before->second) << id << " " << node_id;
      }
    }
  }
  EXPECT_NE(b_->log().find("taking over execution"), std::string::npos);
}

TEST_F(SeveralServersTest, ACancelSentToTheOtherServerIsCarriedOutByTheOwner) {
  const std::string marker = "opz-owner-cancel-" + std::to_string(getpid());
  const std::string id =
      start_on(*a_, "name: long\nnodes:\n  wait: {run: \"sleep 60 # " + marker + "\"}\n");
  ASSERT_FALSE(id.empty());
  const auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    ASSERT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(30));
    if (nodes(detail(*b_, id))["wait"].value("status", "") == "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string owner = owner_of(id);
  ASSERT_FALSE(owner.empty());
  auto r = api(*b_).post("/api/v1/executions/" + id + "/cancel", json{{"reason", "from B"}});
  EXPECT_EQ(r.status, 200) << r.body;
  json d = detail(*b_, id);
  EXPECT_EQ(d["status"], "cancelled") << d.dump();
  EXPECT_EQ(nodes(d)["wait"]["status"], "cancelled");
  EXPECT_EQ(owner_of(id), owner) << "B did not take the execution from a live server";
  // A second cancel through B gets the owner's answer: already cancelled.
  EXPECT_EQ(api(*b_).post("/api/v1/executions/" + id + "/cancel", json::object()).status, 409);
}

}  // namespace
}  // namespace opz::testing
