// TwoServersTest: servers A and B, real `opzenix serve` processes on ONE
// PostgreSQL database (A gets a fresh one, B is pointed at it), and an admin
// token both accept. Skipped unless OPZ_TEST_BACKEND=postgres: several
// servers need PostgreSQL.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {

class TwoServersTest : public ::testing::Test {
 protected:
  static bool on_postgres() {
    const char* backend = std::getenv("OPZ_TEST_BACKEND");
    return backend && std::string_view(backend) == "postgres";
  }

  // Call from SetUp; skips the test without PostgreSQL.
  void start_two_servers(std::vector<std::string> extra_args) {
    if (!on_postgres()) GTEST_SKIP() << "several servers need PostgreSQL (OPZ_TEST_BACKEND=postgres)";
    ServerProcess::Options a;
    a.extra_args = std::move(extra_args);
    a_ = std::make_unique<ServerProcess>(a);
    ServerProcess::Options b = a;
    b.env["OPZENIX_DATABASE_URL"] = a_->database_url();
    b_ = std::make_unique<ServerProcess>(b);
    token_ = a_->create_user_and_login("admin@example.com", "admin");
  }

  HttpClient api(const ServerProcess& server) const {
    HttpClient c(server.base_url());
    c.set_token(token_);
    return c;
  }

  // Starts `yaml` on `server` (Development, branch main); the execution's id.
  std::string start_on(const ServerProcess& server, const std::string& yaml) {
    auto r = api(server).post("/api/v1/executions",
                              nlohmann::json{{"pipeline_yaml", yaml},
                                             {"environment", "Development"},
                                             {"branch", "main"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }

  // Registers an agent labelled `linux` through `server`; answers its token.
  std::string register_agent(const ServerProcess& server, const std::string& name) {
    auto reg = api(server).post("/api/v1/agents/registration-tokens", nlohmann::json::object());
    EXPECT_EQ(reg.status, 201) << reg.body;
    auto r = HttpClient(server.base_url())
                 .post("/api/v1/agents/register",
                       nlohmann::json{{"registration_token", reg.json().value("token", "")},
                                      {"name", name},
                                      {"labels", nlohmann::json::array({"linux"})}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("token", "");
  }

  // Polls `server` until execution `id` ends (2 min at most); its last state.
  // When it does not end, the failure shows the file at `log_path` (an
  // agent's log, say) if one is given.
  nlohmann::json wait_finished(const ServerProcess& server, const std::string& id,
                               const std::string& log_path = "") {
    nlohmann::json last;
    for (int i = 0; i < 1200; ++i) {
      last = api(server).get("/api/v1/executions/" + id).json();
      const std::string st = last.value("status", "");
      if (st == "success" || st == "failed" || st == "warning" || st == "cancelled") return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "execution " << id << " did not finish: " << last.dump()
                  << (log_path.empty() ? "" : "\n" + log_path + ":\n" + read_all(log_path));
    return last;
  }

  static std::string read_all(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::unique_ptr<ServerProcess> a_;
  std::unique_ptr<ServerProcess> b_;
  std::string token_;
};

}  // namespace opz::testing
