// Secrets and environment configuration through their routes: no value in
// any answer or audit row, 201/200/204, bad input naming the field with
// nothing stored, 503 without a master key, roles, and ciphertexts bound to
// their rows.
#include <gtest/gtest.h>

#include "api/api_fixture.h"
#include "secrets/master_keys.h"
#include "secrets/secret_cipher.h"
#include "store/secret_store.h"

namespace opz::api {
namespace {

constexpr const char* kValue = "sup3r-s3cret-value";

class SecretsApiTest : public ApiFixture {
 protected:
  void configure(ApiContext& ctx) override {
    key_file_ = dir_.str() + "/master.key";
    keys_ = std::make_unique<secrets::MasterKeys>(secrets::MasterKeySource{key_file_, {}});
    ctx.master_keys = keys_.get();
  }
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    for (auto role : {"viewer", "operator", "admin"}) tokens_[role] = token_for(role);
    project_ = create_project();
  }

  http::Response call(const std::string& method, const std::string& path, const std::string& role,
                      const std::string& body = "", std::map<std::string, std::string> query = {}) {
    return call_route(method, path, bearer(tokens_[role]), body, std::move(query));
  }
  std::string secrets_path() { return "/api/v1/projects/" + project_ + "/secrets"; }
  http::Response put(const std::string& name, const Json& body, const std::string& role = "operator") {
    return call("PUT", secrets_path() + "/" + name, role, body.dump());
  }
  // Everything stored about secrets outside their ciphertext column.
  std::string stored_text() {
    auto rows = db_->read([&](store::SqlSession& s) {
      return s.query(
          "SELECT COALESCE((SELECT group_concat(details, '|') FROM audit_logs), '') || "
          "COALESCE((SELECT group_concat(ref_key || scope || name, '|') FROM secret_references), "
          "'') || COALESCE((SELECT group_concat(COALESCE(record, ''), '|') FROM realtime_events), "
          "'') AS t");
    });
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0]["t"].as_text() : "";
  }

  std::string key_file_;
  std::unique_ptr<secrets::MasterKeys> keys_;
  std::map<std::string, std::string> tokens_;
  std::string project_;
};

TEST_F(SecretsApiTest, WithoutAMasterKeyStoringAnswers503SayingHowToCreateOne) {
  auto res = put("DB_PASSWORD", {{"value", kValue}});
  EXPECT_EQ(res.status, 503) << res.body;
  EXPECT_NE(res.body.find("opzenix secrets init"), std::string::npos) << res.body;
  EXPECT_EQ(Json::parse(call("GET", secrets_path(), "viewer").body)["items"].size(), 0u);
}

TEST_F(SecretsApiTest, PutCreatesThenReplacesAndNothingEverAnswersTheValue) {
  ASSERT_TRUE(secrets::init_key_ring_file(key_file_).ok());
  auto created = put("DB_PASSWORD", {{"value", kValue}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto replaced = put("DB_PASSWORD", {{"value", std::string(kValue) + "-2"}});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  auto env = put("DB_PASSWORD", {{"value", kValue}, {"environment", "Production"}});
  ASSERT_EQ(env.status, 201) << env.body;

  auto list = call("GET", secrets_path(), "viewer");
  ASSERT_EQ(list.status, 200);
  const Json body = Json::parse(list.body);
  ASSERT_EQ(body["items"].size(), 2u);
  EXPECT_EQ(body["items"][0]["name"], "DB_PASSWORD");
  EXPECT_TRUE(body["items"][0]["environment"].is_null());
  EXPECT_EQ(body["items"][1]["environment"], "Production");
  EXPECT_FALSE(body["items"][0]["updated_by"].is_null());
  EXPECT_FALSE(body["items"][0]["updated_at"].get<std::string>().empty());
  for (const auto& item : body["items"]) {
    EXPECT_FALSE(item.contains("value"));
    EXPECT_FALSE(item.contains("ciphertext"));
  }
  for (const auto& r : {created, replaced, env, list})
    EXPECT_EQ(r.body.find("s3cret"), std::string::npos) << r.body;
  EXPECT_EQ(stored_text().find("s3cret"), std::string::npos) << stored_text();

  auto audit = db_->read([&](store::SqlSession& s) {
    return s.query("SELECT action FROM audit_logs WHERE resource_type = 'secret' ORDER BY seq");
  });
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 3u);
  EXPECT_EQ((*audit)[0]["action"].as_text(), "secret.created");
  EXPECT_EQ((*audit)[1]["action"].as_text(), "secret.updated");
}

TEST_F(SecretsApiTest, TheStoredCiphertextOpensOnlyForItsOwnRow) {
  ASSERT_TRUE(secrets::init_key_ring_file(key_file_).ok());
  ASSERT_EQ(put("A_TOKEN", {{"value", "value-of-a-123"}}).status, 201);
  ASSERT_EQ(put("B_TOKEN", {{"value", "value-of-b-456"}}).status, 201);
  store::SecretStore store(*db_, clock_);
  auto rows = store.list_project(project_);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  auto ring = keys_->ring();
  ASSERT_TRUE(ring.ok());
  auto address = [](const store::SecretRecord& r) {
    return secrets::SecretAddress{r.id, r.project_id, r.environment_id, r.name};
  };
  auto sealed = [](const store::SecretRecord& r) {
    return secrets::SealedSecret{r.sealed.key_id, r.sealed.nonce, r.sealed.ciphertext};
  };
  const auto& a = (*rows)[0];
  const auto& b = (*rows)[1];
  EXPECT_EQ(*secrets::open_secret(**ring, address(a), sealed(a)), "value-of-a-123");
  // Swap the ciphertexts between the two rows in the database: neither opens.
  ASSERT_TRUE(db_->write([&](store::SqlSession& s) -> Status {
                   OPZ_TRY_STATUS(s.exec("UPDATE secret_references SET ciphertext = $2, nonce = $3 "
                                         "WHERE id = $1",
                                         {a.id, b.sealed.ciphertext, b.sealed.nonce}));
                   OPZ_TRY_STATUS(s.exec("UPDATE secret_references SET ciphertext = $2, nonce = $3 "
                                         "WHERE id = $1",
                                         {b.id, a.sealed.ciphertext, a.sealed.nonce}));
                   return {};
                 }).ok());
  auto swapped = store.list_project(project_);
  for (const auto& r : *swapped) {
    auto opened = secrets::open_secret(**ring, address(r), sealed(r));
    EXPECT_FALSE(opened.ok()) << r.name;
  }
}

TEST_F(SecretsApiTest, BadInputNamesTheFieldAndStoresNothing) {
  ASSERT_TRUE(secrets::init_key_ring_file(key_file_).ok());
  struct Case {
    std::string name;
    Json body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"db_password", {{"value", "x"}}, "name"},
      {"1ABC", {{"value", "x"}}, "name"},
      {"OK_NAME", {{"value", std::string(64 * 1024 + 1, 'x')}}, "value"},
      {"OK_NAME", {{"value", 42}}, "value"},
      {"OK_NAME", Json::object(), "value"},
      {"OK_NAME", {{"value", "x"}, {"environment", "Nowhere"}}, "environment"},
      {"OK_NAME", {{"value", "x"}, {"extra", 1}}, "extra"},
  };
  for (const Case& c : cases) {
    auto res = put(c.name, c.body);
    EXPECT_EQ(res.status, 422) << c.name << " " << res.body;
    EXPECT_EQ(Json::parse(res.body)["error"]["field"], c.field) << res.body;
  }
  EXPECT_EQ(Json::parse(call("GET", secrets_path(), "viewer").body)["items"].size(), 0u);
  auto unknown = call("PUT", "/api/v1/projects/0f000000-0000-4000-8000-0000000000ff/secrets/A_B",
                      "operator", Json{{"value", "x"}}.dump());
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

TEST_F(SecretsApiTest, ViewersReadNamesOperatorsManageAndDeleteAnswers204) {
  ASSERT_TRUE(secrets::init_key_ring_file(key_file_).ok());
  EXPECT_EQ(put("A_TOKEN", {{"value", kValue}}, "viewer").status, 403);
  ASSERT_EQ(put("A_TOKEN", {{"value", kValue}, {"environment", "Production"}}).status, 201);
  EXPECT_EQ(call("PUT", "/api/v1/secrets/GLOBAL_TOKEN", "operator", Json{{"value", kValue}}.dump())
                .status,
            403);
  EXPECT_EQ(call("PUT", "/api/v1/secrets/GLOBAL_TOKEN", "admin", Json{{"value", kValue}}.dump())
                .status,
            201);
  EXPECT_EQ(call("DELETE", secrets_path() + "/A_TOKEN", "operator").status, 404)
      << "the project-wide one does not exist";
  EXPECT_EQ(call("DELETE", secrets_path() + "/A_TOKEN", "operator", "",
                 {{"environment", "Production"}})
                .status,
            204);
  EXPECT_EQ(Json::parse(call("GET", secrets_path(), "viewer").body)["items"].size(), 0u);
  EXPECT_EQ(Json::parse(call("GET", "/api/v1/secrets", "viewer").body)["items"].size(), 1u);
}

TEST_F(SecretsApiTest, EnvironmentConfigIsShownInFullAndValidated) {
  const std::string path = "/api/v1/projects/" + project_ + "/environments/Production/config";
  auto empty = call("GET", path, "viewer");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(Json::parse(empty.body)["variables"].empty());
  auto set = call("PUT", path, "operator",
                  Json{{"variables", {{"REGION", "eu-west"}, {"REPLICAS", 3}}}}.dump());
  ASSERT_EQ(set.status, 200) << set.body;
  const Json got = Json::parse(call("GET", path, "viewer").body);
  EXPECT_EQ(got["variables"]["REGION"], "eu-west");
  EXPECT_EQ(got["variables"]["REPLICAS"], "3");
  auto bad = call("PUT", path, "operator", Json{{"variables", {{"bad-name", "x"}}}}.dump());
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Json::parse(bad.body)["error"]["field"], "variables.bad-name");
  EXPECT_EQ(call("PUT", path, "viewer", Json{{"variables", Json::object()}}.dump()).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/projects/" + project_ + "/environments/Nowhere/config", "viewer")
                .status,
            404);
  auto alias = call("POST", "/functions/v1/update-environment-config", "operator",
                    Json{{"project_id", project_},
                         {"environment", "Production"},
                         {"variables", {{"REGION", "us-east"}}}}
                        .dump());
  ASSERT_EQ(alias.status, 200) << alias.body;
  EXPECT_EQ(Json::parse(call("GET", path, "viewer").body)["variables"],
            Json({{"REGION", "us-east"}}));
}

}  // namespace
}  // namespace opz::api
