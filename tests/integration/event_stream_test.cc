// The realtime event stream through the real server and a real client: the
// npm `eventsource` package (tests/integration/eventsource, installed by its
// setup.sh) follows GET /api/v1/events while a pipeline runs for a few
// seconds, disconnects twice in the middle and resumes with Last-Event-ID.
// The ids it received must equal the event log's rows for what the caller
// may see, exactly: same order, no gap, no duplicate. A viewer's stream of
// the same history must hold no other user's audit entries or notifications.
#include <gtest/gtest.h>

#include <fstream>

#include "support/database_probe.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

std::string client_dir() {
  return std::string(OPZENIX_SOURCE_DIR) + "/tests/integration/eventsource";
}

// Three nodes printing 30 lines each, two in parallel: about 3 s.
constexpr const char* kPipeline = R"yaml(name: stream
nodes:
  build:
    type: build
    run: for i in $(seq 1 30); do echo "build line $i"; sleep 0.05; done
  lint:
    type: test
    run: for i in $(seq 1 30); do echo "lint line $i"; sleep 0.05; done
  test:
    type: test
    needs: [build, lint]
    run: for i in $(seq 1 30); do echo "test line $i"; sleep 0.05; done
)yaml";

std::vector<int64_t> logged_ids(const ServerProcess& server, const std::string& where) {
  std::vector<int64_t> ids;
  const std::string sql = "SELECT id FROM realtime_events WHERE " + where + " ORDER BY id";
  auto rows = query_database(server, sql);
  EXPECT_TRUE(rows.ok()) << sql << ": " << (rows.ok() ? "" : rows.error().to_string());
  if (rows.ok())
    for (const store::Row& row : *rows) ids.push_back(row[0].as_int());
  return ids;
}

class EventStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tools = run_command({"/bin/sh", "-c", "command -v npm && command -v node"});
    if (tools.exit_code != 0)
      GTEST_SKIP() << "npm/node not installed: cannot run the eventsource client";
    auto setup = run_command({client_dir() + "/setup.sh"}, {}, {}, 300);
    ASSERT_EQ(setup.exit_code, 0) << setup.err;
    server_ = std::make_unique<ServerProcess>();
  }
  std::string user_id(const std::string& token) {
    HttpClient c(server_->base_url());
    c.set_token(token);
    auto me = c.get("/api/v1/auth/me");
    EXPECT_EQ(me.status, 200) << me.body;
    return me.json().value("id", "");
  }
  json collect(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"node", client_dir() + "/collect.mjs", server_->base_url()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, {}, {}, 120, client_dir());
    EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << server_->log();
    auto out = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << r.out << r.err;
    return out.is_discarded() ? json::object() : out;
  }

  std::unique_ptr<ServerProcess> server_;
  TempDir dir_;
};

TEST_F(EventStreamTest, AReconnectingClientReceivesExactlyTheLoggedEvents) {
  const std::string admin = server_->create_user_and_login("admin@example.com", "admin");
  const std::string yaml_path = dir_.str() + "/pipeline.yml";
  std::ofstream(yaml_path) << kPipeline;

  json got = collect({admin, "run", yaml_path});
  ASSERT_TRUE(got.contains("ids")) << got.dump();
  EXPECT_EQ(got["reconnects"], 2);
  EXPECT_TRUE(got["resets"].empty()) << got["resets"].dump();
  const auto ids = got["ids"].get<std::vector<int64_t>>();
  ASSERT_FALSE(ids.empty());
  const std::string last = std::to_string(ids.back());
  const std::string me = user_id(admin);

  // An admin sees every topic, and of notifications only their own.
  EXPECT_EQ(ids, logged_ids(*server_,
                            "id <= " + last + " AND (topic <> 'notifications' OR user_id = '" +
                                me + "')"));
  // The run really crossed the reconnects with live events of every kind.
  const std::string execution = got["execution_id"];
  EXPECT_GE(logged_ids(*server_,
                       "topic = 'logs' AND execution_id = '" + execution + "'")
                .size(),
            90u);
  EXPECT_EQ(logged_ids(*server_, "topic = 'nodes' AND execution_id = '" + execution +
                                                "' AND type = 'INSERT'")
                .size(),
            3u);
  EXPECT_FALSE(logged_ids(*server_, "topic = 'audit' AND user_id = '" + me + "'")
                   .empty());
}

TEST_F(EventStreamTest, AViewerSeesNoOtherUsersAuditEntriesOrNotifications) {
  const std::string admin = server_->create_user_and_login("admin@example.com", "admin");
  const std::string viewer = server_->create_user_and_login("viewer@example.com", "viewer");
  const std::string yaml_path = dir_.str() + "/pipeline.yml";
  std::ofstream(yaml_path) << kPipeline;
  json run = collect({admin, "run", yaml_path});  // history: the admin's audit trail
  const std::string viewer_id = user_id(viewer);

  json got = collect({viewer, "idle"});
  ASSERT_TRUE(got.contains("ids")) << got.dump();
  const auto ids = got["ids"].get<std::vector<int64_t>>();
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids, logged_ids(*server_,
                            "id <= " + std::to_string(ids.back()) +
                                " AND (topic NOT IN ('audit', 'notifications') OR user_id = '" +
                                viewer_id + "')"));
  // What was withheld exists: the admin's audit entries.
  EXPECT_FALSE(logged_ids(*server_,
                          "topic = 'audit' AND user_id <> '" + viewer_id + "'")
                   .empty());
}

}  // namespace
}  // namespace opz::testing
