// GET /api/v1/executions/{id}/nodes/{node}/logs?tail=N through the real
// server: the last N lines, oldest first, with the node's line count and first
// seq (what the web viewer numbers a tail's lines by); tail with after or limit
// is 400 naming `tail`; a bad tail is 422.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr int kPrinted = 2500;

class NodeLogTailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    token_ = server_->create_user_and_login("admin@example.com", "admin");
    // Two nodes, so the counts must be the node's, not the execution's.
    const std::string yaml = "name: tail\nnodes:\n  big:\n    run: \"seq 1 " +
                             std::to_string(kPrinted) +
                             "\"\n  other:\n    run: \"seq 1 7\"\n";
    auto r = api().post("/api/v1/executions",
                        json{{"pipeline_yaml", yaml}, {"environment", "Development"},
                             {"branch", "main"}});
    ASSERT_EQ(r.status, 201) << r.body;
    id_ = r.json().value("id", "");
    wait_finished();
  }
  HttpClient api() const {
    HttpClient c(server_->base_url());
    c.set_token(token_);
    return c;
  }
  void wait_finished() {
    for (int i = 0; i < 60 * 20; ++i) {
      auto r = api().get("/api/v1/executions/" + id_);
      if (r.status == 200 && r.json().value("status", "") == "success") return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "execution " << id_ << " did not succeed";
  }
  std::string logs_path(const std::string& node, const std::string& query) const {
    return "/api/v1/executions/" + id_ + "/nodes/" + node + "/logs?" + query;
  }
  // The node's whole log, paged from the start with after/limit.
  json whole_log(const std::string& node) {
    json all = json::array();
    int64_t after = 0;
    for (;;) {
      auto r = api().get(logs_path(node, "after=" + std::to_string(after) + "&limit=1000"));
      EXPECT_EQ(r.status, 200) << r.body;
      const json page = r.json();
      for (const auto& l : page["items"]) all.push_back(l);
      if (page["items"].size() < 1000) return all;
      after = page["next_after"];
    }
  }

  std::unique_ptr<ServerProcess> server_;
  std::string token_;
  std::string id_;
};

TEST_F(NodeLogTailTest, TailAnswersTheLastLinesInOrderWithTheNodesCountAndFirstSeq) {
  const json all = whole_log("big");
  // The printed lines and the engine's own lines around them (step started/finished).
  ASSERT_GE(all.size(), static_cast<size_t>(kPrinted));

  auto r = api().get(logs_path("big", "tail=100"));
  ASSERT_EQ(r.status, 200) << r.body;
  const json tail = r.json();
  EXPECT_EQ(tail["total"], all.size());
  EXPECT_EQ(tail["first_seq"], all[0]["seq"]);
  ASSERT_EQ(tail["items"].size(), 100u);
  for (size_t i = 0; i < 100; ++i) {
    const json& want = all[all.size() - 100 + i];
    EXPECT_EQ(tail["items"][i]["seq"], want["seq"]) << "line " << i << " of the tail";
    EXPECT_EQ(tail["items"][i]["message"], want["message"]);
  }
  EXPECT_EQ(tail["next_after"], all.back()["seq"]);
  // The printed numbers end the tail in their order (the engine's last line may follow).
  std::vector<std::string> printed;
  for (const auto& l : tail["items"])
    if (l["stream"] == "stdout") printed.push_back(l["message"]);
  ASSERT_GE(printed.size(), 2u);
  EXPECT_EQ(printed.back(), std::to_string(kPrinted));
  EXPECT_EQ(printed[printed.size() - 2], std::to_string(kPrinted - 1));

  // A tail longer than the log is the whole log.
  const json everything = api().get(logs_path("big", "tail=10000")).json();
  EXPECT_EQ(everything["items"], all);
  EXPECT_EQ(everything["total"], all.size());

  // The other node's count is its own; the paged answer carries the extent too.
  const json other = api().get(logs_path("other", "after=0&limit=3")).json();
  EXPECT_EQ(other["total"], whole_log("other").size());
  EXPECT_LT(other["total"].get<int64_t>(), 20);
  EXPECT_EQ(other["items"].size(), 3u);
  EXPECT_EQ(other["first_seq"], other["items"][0]["seq"]);
}

TEST_F(NodeLogTailTest, TailWithAfterOrLimitIs400AndABadTailIs422) {
  for (const std::string query : {"tail=10&after=5", "tail=10&limit=5"}) {
    auto r = api().get(logs_path("big", query));
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], "tail") << r.body;
    EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("'tail'"), std::string::npos)
        << r.body;
  }
  for (const std::string query : {"tail=0", "tail=10001", "tail=ten", "tail=-3"}) {
    auto r = api().get(logs_path("big", query));
    EXPECT_EQ(r.status, 422) << query << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["field"], "tail") << r.body;
  }
  // after/limit alone behave as before.
  auto r = api().get(logs_path("big", "after=0&limit=2"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["items"].size(), 2u);
}

}  // namespace
}  // namespace opz::testing
