// Shared by the ops backend's integration tests (ops_backend_test.cc,
// seed_003_examples_test.cc): an admin on a real server, and the steps the
// seed's "Seed Initial Data" does in SQL done through the API — a project
// (with runtime_version), its pipeline (a flow template running `echo`), its
// branch rules — plus reading the RPCs and waiting for a build's status.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {

class OpsBackendFixture : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    server_ = std::make_unique<ServerProcess>();
    admin_token_ = server_->create_user_and_login("admin@example.com", "admin");
  }

  HttpClient admin() const {
    HttpClient c(server_->base_url());
    c.set_token(admin_token_);
    return c;
  }

  // POST /rest/v1/rpc/<fn> with the seeds' apikey header and the ops profile.
  HttpResult rpc(const std::string& fn, const json& args = json::object()) const {
    HttpClient c(server_->base_url());
    return c.request(
        "POST", "/rest/v1/rpc/" + fn, args.dump(),
        {"apikey: " + admin_token_, "Content-Profile: ops", "Content-Type: application/json"});
  }

  // GET /rest/v1/<table>?<query> in the ops schema (Accept-Profile: ops).
  HttpResult ops_table(const std::string& table, const std::string& query) const {
    HttpClient c(server_->base_url());
    return c.request("GET", "/rest/v1/" + table + "?" + query, "",
                     {"apikey: " + admin_token_, "Accept-Profile: ops"});
  }

  std::string create_project(const json& fields) {
    auto r = admin().post("/api/v1/projects", fields);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()["id"].get<std::string>() : std::string();
  }

  // The project's pipeline: one build node that runs `command`.
  void give_pipeline(const std::string& project, const std::string& command = "echo built") {
    json tmpl = {{"name", "build"},
                 {"type", "cicd"},
                 {"project_id", project},
                 {"nodes", json::array({{{"id", "build"},
                                         {"type", "build"},
                                         {"position", {{"x", 0}, {"y", 0}}},
                                         {"data", {{"label", "Build"}, {"run", command}}}}})},
                 {"edges", json::array()}};
    auto r = admin().post("/api/v1/flow-templates", tmpl);
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // The project's own branch rules: {pattern, environment} pairs.
  void map_branches(const std::string& project,
                    const std::vector<std::pair<std::string, std::string>>& rules) {
    json body = json::array();
    for (const auto& [pattern, environment] : rules)
      body.push_back({{"pattern", pattern},
                      {"ref_type", "branch"},
                      {"environment", environment},
                      {"deployable", true},
                      {"image_tag_template", "{sha7}"},
                      {"replicas", 1}});
    auto r = admin().put("/api/v1/projects/" + project + "/branch-mappings", body);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // The list_projects row of `project` (null when absent).
  json project_row(const std::string& project) const {
    auto r = rpc("list_projects");
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& row : r.json())
      if (row["id"] == project) return row;
    return nullptr;
  }

  // Polls list_projects until the project's last build has `status`; bounded.
  json wait_for_last_build(const std::string& project, const std::string& status,
                           int seconds = 60) const {
    json row;
    for (int i = 0; i < seconds * 20; ++i) {
      row = project_row(project);
      if (row.is_object() && row["last_build_status"] == status) return row;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "last build never became " << status << ": " << row.dump() << "\n"
                  << server_->log();
    return row;
  }

  std::unique_ptr<ServerProcess> server_;
  std::string admin_token_;
};

}  // namespace opz::testing
