// GET /api/v1/audit-logs/verify (admins: the chain checked now; a row edited
// with raw SQL is named) and GET /api/v1/audit-logs?format=csv (the export:
// same filters and visibility as the JSON list).
#include <gtest/gtest.h>

#include "api/api_fixture.h"

namespace opz::api {
namespace {

class AuditVerifyApiTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    for (auto role : {"viewer", "admin"}) {
      tokens_[role] = token_for(role);
      ids_[role] = users_->find_by_email(std::string(role) + "@example.com")->id;
    }
  }

  void record(const std::string& action, const std::string& user, const Json& details) {
    ASSERT_TRUE(audit_->record({action, "project", "p1", user, details, "10.0.0.1"}).ok());
    clock_.advance(std::chrono::seconds(1));
  }

  http::Response get(const std::string& path, const std::string& role,
                     std::map<std::string, std::string> query = {}) {
    return call_route("GET", path, bearer(tokens_[role]), "", std::move(query));
  }

  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::string> ids_;
};

TEST_F(AuditVerifyApiTest, AnIntactChainVerifiesToItsLastRow) {
  record("project.created", ids_["admin"], Json::object());
  record("project.updated", ids_["admin"], Json{{"name", "shop"}});
  record("project.updated", ids_["viewer"], Json::object());
  auto res = get("/api/v1/audit-logs/verify", "admin");
  ASSERT_EQ(res.status, 200) << res.body;
  Json v = Json::parse(res.body);
  EXPECT_EQ(v["ok"], true);
  EXPECT_EQ(v["rows"], 3);
  EXPECT_EQ(v["verified_up_to"], 3);
  EXPECT_EQ(v["head_hash"].get<std::string>().size(), 64u);
  EXPECT_TRUE(v["broken_at"].is_null());
  EXPECT_TRUE(v["problem"].is_null());
}

TEST_F(AuditVerifyApiTest, ARowEditedInTheDatabaseIsNamed) {
  for (int i = 0; i < 4; ++i) record("project.updated", ids_["admin"], Json{{"n", i}});
  ASSERT_TRUE(db_->write([](store::SqlSession& s) -> Status {
                   OPZ_TRY_STATUS(
                       s.exec("UPDATE audit_logs SET details = '{\"n\":99}' WHERE seq = 3"));
                   return {};
                 }).ok());
  Json v = Json::parse(get("/api/v1/audit-logs/verify", "admin").body);
  EXPECT_EQ(v["ok"], false);
  EXPECT_EQ(v["rows"], 4);
  EXPECT_EQ(v["verified_up_to"], 2);
  EXPECT_EQ(v["broken_at"], 3);
  EXPECT_NE(v["problem"].get<std::string>().find("broken at seq 3"), std::string::npos)
      << v["problem"];
  EXPECT_NE(v["problem"].get<std::string>().find("edited"), std::string::npos) << v["problem"];
}

TEST_F(AuditVerifyApiTest, OnlyAdminsVerify) {
  EXPECT_EQ(get("/api/v1/audit-logs/verify", "viewer").status, 403);
}

TEST_F(AuditVerifyApiTest, TheCsvExportHasAHeaderAndTheCallersVisibleRows) {
  record("project.created", ids_["admin"], Json{{"name", "a,b"}});
  record("=cmd", ids_["viewer"], Json::object());
  auto all = get("/api/v1/audit-logs", "admin", {{"format", "csv"}});
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.headers.get("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(all.body.substr(0, all.body.find("\r\n")),
            "seq,created_at,action,resource_type,resource_id,user_id,ip_address,user_agent,"
            "details,hash");
  // Newest first; a formula-like field is defused, a comma quoted.
  EXPECT_NE(all.body.find("\r\n2,"), std::string::npos);
  EXPECT_NE(all.body.find(",'=cmd,project,p1," + ids_["viewer"] + ",10.0.0.1,,{},"),
            std::string::npos)
      << all.body;
  EXPECT_NE(all.body.find("\"{\"\"name\"\":\"\"a,b\"\"}\""), std::string::npos) << all.body;

  auto own = get("/api/v1/audit-logs", "viewer", {{"format", "csv"}});
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.body.find("project.created"), std::string::npos) << own.body;
  EXPECT_NE(own.body.find("'=cmd"), std::string::npos);

  auto filtered = get("/api/v1/audit-logs", "admin", {{"format", "csv"}, {"action", "=cmd"}});
  EXPECT_EQ(filtered.body.find("project.created"), std::string::npos);
  EXPECT_EQ(get("/api/v1/audit-logs", "admin", {{"format", "xml"}}).status, 422);
}

TEST_F(AuditVerifyApiTest, TheJsonListIsUnchanged) {
  record("project.created", ids_["admin"], Json::object());
  auto res = get("/api/v1/audit-logs", "admin");
  ASSERT_EQ(res.status, 200) << res.body;
  Json body = Json::parse(res.body);
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["action"], "project.created");
  EXPECT_TRUE(body.contains("next_cursor"));
}

}  // namespace
}  // namespace opz::api
