// GitHub integration tokens at rest (issue 12): sealed with the master key
// ring into github_tokens, bound to their row and project, read back by the
// readers' path (GithubTokens::open), moved from the old place
// (github_integrations.token_encrypted, sealed with secret.key) by
// reseal_all() on a database migrated from the old shape, and re-encrypted
// under a new key after a rotation.
#include "trigger/github_token.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "secrets/master_keys.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "store/project_store.h"
#include "support/temp_dir.h"

namespace opz::trigger {
namespace {

const std::string kToken = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";

class GithubTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto box = secrets::SecretBox::from_key(std::string(32, 'k'));
    ASSERT_TRUE(box.ok());
    box_.emplace(*box);
    ring_file_ = dir_.str() + "/master.key";
  }

  // A database migrated up to (not including) `before`, or fully when "".
  void open_db(const std::string& before = "") {
    auto db = store::Database::open_sqlite({.path = dir_.str() + "/t.db"});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    for (const store::Migration& m : store::embedded_migrations())
      if (before.empty() || m.name < before) migrations_.push_back(m);
    auto applied = store::Migrator(*db_, migrations_, clock_).apply();
    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  }
  void migrate_fully() {
    migrations_ = store::embedded_migrations();
    auto applied = store::Migrator(*db_, migrations_, clock_).apply();
    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
  }
  std::string make_project(const std::string& name) {
    store::ProjectStore projects(*db_, clock_);
    if (!has_org_) {
      EXPECT_TRUE(projects.create_organization("Org", "org", "").ok());
    }
    has_org_ = true;
    store::ProjectFields f;
    f.name = name;
    auto p = projects.create_project(f, "tester");
    EXPECT_TRUE(p.ok());
    return p.ok() ? p->id : "";
  }
  store::GithubIntegrationFields fields(const std::string& repo) {
    store::GithubIntegrationFields f;
    f.repository_owner = "octo";
    f.repository_name = repo;
    f.webhook_secret_sealed = "v1:secret";
    f.api_base_url = "https://api.github.com";
    return f;
  }
  std::string column(const std::string& sql, const std::string& param) {
    auto v = db_->read([&](store::SqlSession& s) -> Result<std::string> {
      OPZ_TRY(store::Rows rows, s.query(sql, {param}));
      if (rows.empty()) return std::string("<no row>");
      return rows[0][0].is_null() ? std::string("<null>") : rows[0][0].as_text();
    });
    return v.ok() ? *v : "<error>";
  }

  ManualClock clock_;
  opz::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::vector<store::Migration> migrations_;
  std::optional<secrets::SecretBox> box_;
  std::string ring_file_;
  bool has_org_ = false;
};

TEST_F(GithubTokenTest, ARingTokenIsStoredInGithubTokensAndOpensOnlyForItsRow) {
  open_db();
  ASSERT_TRUE(secrets::init_key_ring_file(ring_file_).ok());
  secrets::MasterKeys keys({ring_file_, std::nullopt});
  GithubTokens tokens(*box_, &keys);
  store::GithubStore github(*db_, clock_);
  const std::string a = make_project("a"), b = make_project("b");

  auto sealed = tokens.seal(a, kToken);
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_TRUE(sealed->starts_with(store::kRingTokenPrefix));
  EXPECT_EQ(sealed->find(kToken), std::string::npos);
  auto f = fields("a");
  f.token_sealed = *sealed;
  auto stored = github.put(a, f, "admin");
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->token_sealed, *sealed);
  EXPECT_EQ(GithubTokens::last4(stored->token_sealed), "yzAB");
  EXPECT_EQ(column("SELECT token_encrypted FROM github_integrations WHERE project_id = $1", a),
            "<null>");
  EXPECT_EQ(column("SELECT key_id FROM github_tokens WHERE project_id = $1", a), "k1");
  EXPECT_EQ(column("SELECT last4 FROM github_tokens WHERE project_id = $1", a), "yzAB");

  auto opened = tokens.open(*github.find_by_project(a));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, kToken);
  // The same row under another project does not open (associated data).
  auto moved = tokens.open(b, *sealed);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(moved.error().message.find(kToken), std::string::npos);

  // Removing the token or the integration removes the row.
  f.token_sealed = std::string();
  ASSERT_TRUE(github.put(a, f, "admin").ok());
  EXPECT_EQ(column("SELECT count(*) FROM github_tokens WHERE project_id = $1", a), "0");
}

TEST_F(GithubTokenTest, WithoutARingTheTokenIsSealedTheOldWayAndStillOpens) {
  open_db();
  GithubTokens tokens(*box_, nullptr);
  auto sealed = tokens.seal("p", kToken);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(sealed->starts_with("v1:"));
  EXPECT_EQ(*tokens.open("p", *sealed), kToken);
  EXPECT_EQ(GithubTokens::last4(*sealed), "");
}

TEST_F(GithubTokenTest, AnOldDatabaseIsMigratedAndItsTokenMovedAndReadBack) {
  open_db("019");  // the shape before github_tokens held integration tokens
  const std::string p = make_project("old");
  auto legacy = box_->seal(kToken);
  ASSERT_TRUE(legacy.ok());
  ASSERT_TRUE(db_->write([&](store::SqlSession& s) -> Status {
                   OPZ_TRY_STATUS(s.exec(
                       "INSERT INTO github_integrations (id, project_id, repository_owner, "
                       "repository_name, webhook_secret_encrypted, token_encrypted, "
                       "api_base_url, created_at, updated_at) VALUES ('i1', $1, 'octo', 'old', "
                       "'v1:x', $2, 'https://api.github.com', 't', 't')",
                       {p, *legacy}));
                   return {};
                 }).ok());
  migrate_fully();
  store::GithubStore github(*db_, clock_);

  // Upgraded, no ring yet: read from the old place.
  GithubTokens no_ring(*box_, nullptr);
  EXPECT_EQ(*no_ring.open(*github.find_by_project(p)), kToken);
  EXPECT_EQ(no_ring.reseal_all(github).error().code, ErrorCode::kUnavailable);

  // With a ring: moved into github_tokens, cleared from the old column.
  ASSERT_TRUE(secrets::init_key_ring_file(ring_file_).ok());
  secrets::MasterKeys keys({ring_file_, std::nullopt});
  GithubTokens tokens(*box_, &keys);
  const uint64_t generation = github.generation();
  auto report = tokens.reseal_all(github);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->moved, 1);
  EXPECT_TRUE(report->unreadable.empty());
  EXPECT_GT(github.generation(), generation) << "the integration cache must notice";
  auto record = github.find_by_project(p);
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->token_sealed.starts_with(store::kRingTokenPrefix));
  EXPECT_EQ(column("SELECT token_encrypted FROM github_integrations WHERE project_id = $1", p),
            "<null>");
  EXPECT_EQ(*tokens.open(*record), kToken);
  // Nothing left to move.
  EXPECT_EQ(tokens.reseal_all(github)->moved, 0);
}

TEST_F(GithubTokenTest, ARotationReencryptsUnderTheNewKeyAndOldRowsStillOpenMeanwhile) {
  open_db();
  ASSERT_TRUE(secrets::init_key_ring_file(ring_file_).ok());
  secrets::MasterKeys keys({ring_file_, std::nullopt});
  GithubTokens tokens(*box_, &keys);
  store::GithubStore github(*db_, clock_);
  const std::string p = make_project("r");
  auto f = fields("r");
  f.token_sealed = *tokens.seal(p, kToken);
  ASSERT_TRUE(github.put(p, f, "admin").ok());

  auto ring = secrets::read_key_ring_file(ring_file_);
  ASSERT_TRUE(ring.ok());
  ASSERT_TRUE(ring->add_key().ok());
  ASSERT_TRUE(secrets::write_key_ring_file(ring_file_, *ring).ok());
  // Not re-encrypted yet: still opens with the old key.
  EXPECT_EQ(*tokens.open(*github.find_by_project(p)), kToken);
  auto report = tokens.reseal_all(github);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->moved, 1);
  EXPECT_EQ(column("SELECT key_id FROM github_tokens WHERE project_id = $1", p), "k2");
  EXPECT_EQ(*tokens.open(*github.find_by_project(p)), kToken);
}

}  // namespace
}  // namespace opz::trigger
