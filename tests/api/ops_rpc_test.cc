#include "api/ops_rpc.h"

#include <gtest/gtest.h>

#include "api_fixture.h"

namespace opz::api {
namespace {

class OpsRpcTest : public ApiFixture {};

TEST_F(OpsRpcTest, ErrorsHavePostgrestsShape) {
  const std::string token = token_for("viewer");
  auto call = [&](const std::string& fn, const std::string& body,
                  std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + token;
    return call_route("POST", "/rest/v1/rpc/" + fn, headers, body);
  };
  auto listed = call("list_projects", "");
  EXPECT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Json::parse(listed.body), Json::array());
  auto missing = call("project_branches", "{}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Json::parse(missing.body)["code"], "22023");
  auto number = call("project_branches", R"({"project_id": 7})");
  EXPECT_EQ(number.status, 400);
  EXPECT_EQ(Json::parse(number.body)["code"], "22P02");
  auto array = call("list_projects", "[]");
  EXPECT_EQ(array.status, 400);
  EXPECT_EQ(Json::parse(array.body)["code"], "PGRST102");
  auto schema = call("list_projects", "", {{"Content-Profile", "registry"}});
  EXPECT_EQ(schema.status, 406);
  const Json unknown = Json::parse(call("nope", R"({"a": 1})").body);
  EXPECT_EQ(unknown["code"], "PGRST202");
  EXPECT_EQ(unknown["message"], "Could not find the function ops.nope(a) in the schema cache");
  EXPECT_TRUE(unknown["hint"].is_string());
}

TEST_F(OpsRpcTest, ListsProjectsAndBranchesAsRows) {
  const std::string token = token_for("viewer");
  const std::string project = create_project("erp");
  auto listed = call_route("POST", "/rest/v1/rpc/list_projects", bearer(token), "{}");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const Json rows = Json::parse(listed.body);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["id"], project);
  EXPECT_EQ(rows[0]["branch_count"], 0);
  EXPECT_TRUE(rows[0]["runtime_version"].is_null());
  EXPECT_TRUE(rows[0]["last_build_status"].is_null());
  auto branches = call_route("GET", "/rest/v1/rpc/project_branches", bearer(token), "",
                             {{"project_id", project}});
  ASSERT_EQ(branches.status, 200) << branches.body;
  EXPECT_EQ(Json::parse(branches.body), Json::array());
  auto page = call_route("GET", "/api/ops/projects", bearer(token));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(Json::parse(page.body)["projects"], rows);
}

}  // namespace
}  // namespace opz::api
