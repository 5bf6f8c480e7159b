// The tamper-evident audit trail end to end: refused and accepted actions
// through the real server are chained; `opzenix audit verify` passes on the
// stopped server's database and names the right row after each tampering
// with its rows (an edit, a deletion, a swap of two rows' seq), each on a fresh
// copy; an export (whole or a range) verifies offline. On either backend: the
// copies and the tampering go through support/database_probe.h.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "support/database_probe.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

CommandResult opzenix(const std::vector<std::string>& args) {
  std::vector<std::string> argv{opzenix_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

// `opzenix audit <command>` on the database at `where` (--data-dir or --database).
CommandResult audit(const std::string& command, const DatabaseLocation& where,
                    const std::vector<std::string>& more = {}) {
  std::vector<std::string> args{"audit", command};
  for (const std::string& a : where.cli_args()) args.push_back(a);
  args.insert(args.end(), more.begin(), more.end());
  return opzenix(args);
}

class AuditChainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerProcess server;
    const std::string admin = server.create_user_and_login("admin@example.com", "admin");
    const std::string viewer = server.create_user_and_login("viewer@example.com", "viewer");
    HttpClient anonymous(server.base_url());
    auto refused_login = anonymous.request(
        "POST", "/api/v1/auth/login",
        json{{"email", "admin@example.com"}, {"password", "not-the-password"}}.dump(),
        {"User-Agent: audit-test/1.0"});
    ASSERT_EQ(refused_login.status, 401) << refused_login.body;
    HttpClient as_viewer(server.base_url());
    as_viewer.set_token(viewer);
    auto refused = as_viewer.post("/api/v1/projects", json{{"name", "Not Mine"}});
    ASSERT_EQ(refused.status, 403) << refused.body;
    HttpClient as_admin(server.base_url());
    as_admin.set_token(admin);
    auto created = as_admin.post("/api/v1/projects", json{{"name", "Audited"}});
    ASSERT_EQ(created.status, 201) << created.body;

    auto logs = as_admin.get("/api/v1/audit-logs?limit=500");
    ASSERT_EQ(logs.status, 200) << logs.body;
    const json listed = logs.json();
    for (const json& item : listed["items"]) (*items_)[item["action"].get<std::string>()] = item;
    auto future = as_admin.get("/api/v1/audit-logs?from=2200-01-01T00:00:00Z");
    ASSERT_EQ(future.status, 200) << future.body;
    future_count_ = future.json()["items"].size();
    bad_from_status_ = as_admin.get("/api/v1/audit-logs?from=yesterday").status;
    ASSERT_EQ(server.stop(), 0);

    auto kept = DatabaseCopy::of(server);
    ASSERT_TRUE(kept.ok()) << kept.error().to_string();
    kept_ = new DatabaseCopy(std::move(kept).value());
    auto ids = query_database(pristine(), "SELECT seq, id FROM audit_logs ORDER BY seq");
    ASSERT_TRUE(ids.ok()) << ids.error().to_string();
    for (const store::Row& row : *ids) (*id_of_)[row[0].as_int()] = row[1].as_text();
  }

  static void TearDownTestSuite() {
    delete kept_;
    kept_ = nullptr;
  }

  // The copy of the stopped server's database every test starts from.
  static const DatabaseLocation& pristine() { return kept_->location(); }

  // verify on a fresh copy after `sql`.
  static CommandResult verify_after(const std::string& sql) {
    auto copy = DatabaseCopy::of(pristine());
    if (!copy.ok()) {
      ADD_FAILURE() << copy.error().to_string();
      return {};
    }
    const Status changed = exec_database_script(copy->location(), sql);
    EXPECT_TRUE(changed.ok()) << changed.error().to_string();
    return audit("verify", copy->location());
  }

  static std::string names(int64_t seq) {
    return "broken at seq " + std::to_string(seq) + " (id " + id_of_->at(seq) + ")";
  }

  static inline DatabaseCopy* kept_ = nullptr;
  static inline std::map<std::string, json>* items_ = new std::map<std::string, json>();
  static inline std::map<int64_t, std::string>* id_of_ = new std::map<int64_t, std::string>();
  static inline size_t future_count_ = 0;
  static inline long bad_from_status_ = 0;
};

TEST_F(AuditChainTest, RefusedAttemptsAreAuditedWithWhoAndWhere) {
  ASSERT_TRUE(items_->count("auth.login_failed"));
  const json& failed = items_->at("auth.login_failed");
  EXPECT_EQ(failed["details"]["email"], "admin@example.com");
  EXPECT_EQ(failed["details"].dump().find("not-the-password"), std::string::npos);
  EXPECT_EQ(failed["user_agent"], "audit-test/1.0");
  EXPECT_TRUE(failed["ip_address"].is_string());

  ASSERT_TRUE(items_->count("access.denied"));
  const json& denied = items_->at("access.denied");
  EXPECT_EQ(denied["details"]["method"], "POST");
  EXPECT_EQ(denied["details"]["path"], "/api/v1/projects");
  EXPECT_EQ(denied["details"]["role"], "viewer");
  EXPECT_FALSE(denied["details"]["action"].get<std::string>().empty());
  EXPECT_FALSE(denied["user_id"].is_null());

  for (const auto& [action, item] : *items_) {
    EXPECT_TRUE(item["seq"].is_number_integer()) << action;
    EXPECT_EQ(item["hash"].get<std::string>().size(), 64u) << action;
    EXPECT_EQ(item["prev_hash"].get<std::string>().size(), 64u) << action;
    EXPECT_TRUE(item.contains("user_agent")) << action;
  }
  EXPECT_EQ(future_count_, 0u);
  EXPECT_EQ(bad_from_status_, 422);
}

TEST_F(AuditChainTest, VerifyPassesOnTheServersDatabase) {
  ASSERT_GE(id_of_->size(), 5u);
  auto r = audit("verify", pristine());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("audit chain intact: " + std::to_string(id_of_->size()) + " entries, head ",
                        0),
            0u)
      << r.out;
  TempDir empty;
  const std::string nothing_here = empty.str() + "/nothing-here";
  auto missing = opzenix({"audit", "verify", "--data-dir", nothing_here});
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_FALSE(fs::exists(nothing_here + "/opzenix.db"));
}

TEST_F(AuditChainTest, AnEditedRowIsNamed) {
  auto r = verify_after("UPDATE audit_logs SET details = '{\"email\":\"someone@else\"}' WHERE seq = 3");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(names(3)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("edited"), std::string::npos) << r.out;
}

TEST_F(AuditChainTest, ADeletedMiddleRowIsNamedByTheRowAfterIt) {
  auto r = verify_after("DELETE FROM audit_logs WHERE seq = 3");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find(names(4)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("deleted: seq 3 is missing"), std::string::npos) << r.out;
}

TEST_F(AuditChainTest, TwoRowsWithSwappedSeqAreNamed) {
  // Through a free seq: the UNIQUE index holds at every step.
  auto r = verify_after(
      "UPDATE audit_logs SET seq = -1 WHERE seq = 2; UPDATE audit_logs SET seq = 2 WHERE seq = 3; "
      "UPDATE audit_logs SET seq = 3 WHERE seq = -1;");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  // seq 2 now holds the row that was seq 3.
  EXPECT_NE(r.out.find("broken at seq 2 (id " + id_of_->at(3) + ")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reordered"), std::string::npos) << r.out;
}

TEST_F(AuditChainTest, AnExportVerifiesOfflineWholeOrAsARange) {
  TempDir out;
  const std::string all = out.str() + "/all.jsonl", range = out.str() + "/range.jsonl";
  auto e = audit("export", pristine(), {"--output", all});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto whole = opzenix({"audit", "verify", "--file", all});
  EXPECT_EQ(whole.exit_code, 0) << whole.out << whole.err;
  auto db = audit("verify", pristine());
  EXPECT_EQ(whole.out, db.out) << "the same entries and head";

  ASSERT_EQ(audit("export", pristine(), {"--from", "2", "--to", "4", "--output", range}).exit_code,
            0);
  std::ifstream in(range);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["seq"], 2);
  for (const char* field : {"id", "action", "resource_type", "resource_id", "user_id", "details",
                            "ip_address", "user_agent", "created_at", "prev_hash", "hash"})
    EXPECT_TRUE(lines[0].contains(field)) << field;
  auto part = opzenix({"audit", "verify", "--file", range});
  EXPECT_EQ(part.exit_code, 0) << part.out << part.err;
  EXPECT_NE(part.out.find("intact: 3 entries, head " + lines[2]["hash"].get<std::string>()),
            std::string::npos)
      << part.out;

  lines[1]["details"] = json{{"forged", true}};
  {
    std::ofstream edited(range, std::ios::trunc);
    for (const json& l : lines) edited << l.dump() << "\n";
  }
  auto tampered = opzenix({"audit", "verify", "--file", range});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out;
  EXPECT_NE(tampered.out.find(names(3)), std::string::npos) << tampered.out;
}

}  // namespace
}  // namespace opz::testing
