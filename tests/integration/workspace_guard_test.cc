// The engine's checkout behind the outbound guard through the real server
// (issue 12): a project whose git URL was saved while loopback was allowed is
// started after the allow-list went away: the start is refused (422
// workspace.url), no execution is created, and the listener the URL points
// at never sees a connection — the clone is never started.
#include <gtest/gtest.h>

#include "net/accept_counter.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

TEST(WorkspaceGuardServer, ARefusedRepositoryIsNeverCloned) {
  net::testing::AcceptCounter listener;
  TempDir data;
  std::string pid;
  {
    ServerProcess::Options open;  // loopback allowed (the test default)
    open.data_dir = data.str();
    ServerProcess server(open);
    HttpClient api(server.base_url());
    api.set_token(server.create_user_and_login("admin@example.com", "admin"));
    auto project = api.post(
        "/api/v1/projects",
        json{{"name", "cloned"},
             {"git_url", "http://127.0.0.1:" + std::to_string(listener.port()) + "/r.git"}});
    ASSERT_EQ(project.status, 201) << project.body;
    pid = project.json()["id"];
  }
  ServerProcess::Options closed;
  closed.data_dir = data.str();
  closed.outbound_allow = "";
  ServerProcess server(closed);
  HttpClient api(server.base_url());
  api.set_token(server.create_user_and_login("admin2@example.com", "admin"));
  auto started =
      api.post("/api/v1/executions", json{{"project_id", pid}, {"environment", "Development"}});
  EXPECT_EQ(started.status, 422) << started.body;
  EXPECT_EQ(started.json()["error"].value("field", ""), "workspace.url") << started.body;
  EXPECT_NE(started.body.find("loopback"), std::string::npos) << started.body;
  EXPECT_EQ(api.get("/api/v1/executions?project_id=" + pid).json()["items"].size(), 0u);
  EXPECT_EQ(listener.accepted(), 0);
}

}  // namespace
}  // namespace opz::testing
