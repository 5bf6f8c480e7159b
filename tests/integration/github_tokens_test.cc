// GitHub integration tokens through the real server (issue 12, seed 000
// §7.4): a token saved before the master key ring existed is kept the old way
// (sealed with secret.key) and keeps working; after `opzenix secrets init` and
// a restart the server moves it into github_tokens, encrypted with the ring;
// a token saved then goes straight there; the API only ever answers
// has_token and the last four characters; `opzenix secrets rotate-key`
// re-encrypts it under the new key.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

const std::string kOldToken = "ghp_saved-before-the-ring-0123456789abcdef";
const std::string kNewToken = "ghp_saved-with-the-ring-0123456789abcdWXYZ";

// The first column of the first row of `sql`, read straight from the file ("" if none).
std::string scalar(const std::string& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2((data_dir + "/opzenix.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

TEST(GithubTokensServer, TokensMoveIntoGithubTokensEncryptedWithTheRing) {
  TempDir data;
  std::string pid;
  std::string admin_token;
  const json integration = {{"repository_owner", "octo"},
                            {"repository_name", "tokens"},
                            {"webhook_secret", "a-webhook-secret"},
                            {"token", kOldToken}};
  {
    ServerProcess::Options o;
    o.data_dir = data.str();
    ServerProcess server(o);
    HttpClient api(server.base_url());
    api.set_token(server.create_user_and_login("admin@example.com", "admin"));
    auto project = api.post("/api/v1/projects", json{{"name", "tokens"}});
    ASSERT_EQ(project.status, 201) << project.body;
    pid = project.json()["id"];
    auto put = api.put("/api/v1/projects/" + pid + "/github", integration);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.json()["has_token"], true);
    EXPECT_EQ(put.body.find(kOldToken), std::string::npos);
  }
  // No ring yet: kept the old way.
  EXPECT_EQ(scalar(data.str(), "SELECT substr(token_encrypted, 1, 3) FROM github_integrations"),
            "v1:");
  EXPECT_EQ(scalar(data.str(), "SELECT count(*) FROM github_tokens"), "0");

  auto init = run_command({opzenix_binary(), "secrets", "init", "--data-dir", data.str()});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  {
    ServerProcess::Options o;
    o.data_dir = data.str();
    ServerProcess server(o);
    // Moved at start: encrypted with the ring, the old column cleared.
    EXPECT_EQ(scalar(data.str(), "SELECT count(*) FROM github_tokens WHERE project_id = '" + pid +
                                     "' AND key_id = 'k1' AND nonce IS NOT NULL"),
              "1");
    EXPECT_EQ(scalar(data.str(), "SELECT count(*) FROM github_integrations WHERE "
                                 "token_encrypted IS NOT NULL"),
              "0");
    EXPECT_EQ(scalar(data.str(), "SELECT instr(encrypted_token, 'ghp_') FROM github_tokens"), "0");

    HttpClient api(server.base_url());
    api.set_token(server.create_user_and_login("admin2@example.com", "admin"));
    json with_new = integration;
    with_new["token"] = kNewToken;
    auto put = api.put("/api/v1/projects/" + pid + "/github", with_new);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.json()["token_last4"], "WXYZ");
    auto got = api.get("/api/v1/projects/" + pid + "/github");
    EXPECT_EQ(got.json()["has_token"], true);
    EXPECT_EQ(got.json()["token_last4"], "WXYZ");
    EXPECT_EQ(got.body.find(kNewToken), std::string::npos);
    EXPECT_EQ(scalar(data.str(), "SELECT last4 FROM github_tokens WHERE project_id = '" + pid + "'"),
              "WXYZ");
  }
  auto rotate = run_command({opzenix_binary(), "secrets", "rotate-key", "--data-dir", data.str()});
  ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
  EXPECT_NE(rotate.out.find("1 secret(s) re-encrypted"), std::string::npos) << rotate.out;
  EXPECT_EQ(scalar(data.str(), "SELECT key_id FROM github_tokens WHERE project_id = '" + pid + "'"),
            "k2");
}

}  // namespace
}  // namespace opz::testing
