// Shared by the governance integration tests: a real `opzenix serve`, users
// by role, a project, and the calls those tests make about executions.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "webhook_test_support.h"

namespace opz::testing {

// A pipeline with a build and a deploy node.
inline constexpr const char* kBuildAndDeploy = R"(name: governed
nodes:
  build:
    run: echo building
  deploy:
    type: deploy
    needs: build
    run: echo deploying
)";

class GovernedServerTest : public ::testing::Test {
 protected:
  HttpClient as(const std::string& token) const {
    HttpClient c(server_.base_url());
    c.set_token(token);
    return c;
  }
  std::string env_path(const std::string& name) const {
    return "/api/v1/projects/" + project_ + "/environments/" + name;
  }
  nlohmann::json execution(const std::string& id) {
    return as(admin_).get("/api/v1/executions/" + id).json();
  }
  // The execution once it ended (bounded wait).
  nlohmann::json finished(const std::string& id,
                          std::chrono::seconds max = std::chrono::seconds(30)) {
    return webhooks::finished_execution(as(admin_), id, max);
  }

  ServerProcess server_;
  std::string admin_;    // an admin's token
  std::string project_;  // the project under test
};

}  // namespace opz::testing
