// TwoServersTest: servers A and B, real `opzenix serve` processes on ONE
// PostgreSQL database (A gets a fresh one, B is pointed at it), and an admin
// token both accept. Skipped unless OPZ_TEST_BACKEND=postgres: several
// servers need PostgreSQL.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
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

  std::unique_ptr<ServerProcess> a_;
  std::unique_ptr<ServerProcess> b_;
  std::string token_;
};

}  // namespace opz::testing
