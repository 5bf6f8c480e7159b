// `opzenix secrets rotate-key` (cli/key_rotation.h): every secret ends under
// the new key; stopped after k rows and run again, it finishes the same
// rotation and no secret is lost or unreadable at any point.
#include "cli/key_rotation.h"

#include <gtest/gtest.h>

#include <map>

#include "secrets/master_keys.h"
#include "secrets/secret_cipher.h"
#include "store/github_store.h"
#include "store/project_store.h"
#include "store/secret_store.h"
#include "support/temp_dir.h"
#include "trigger/github_token.h"

namespace opz::cli {
namespace {

class KeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::open_sqlite({.path = dir_.str() + "/t.db"});
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().ok());
    store::ProjectStore projects(*db_, clock_);
    ASSERT_TRUE(projects.create_organization("Org", "org", "").ok());
    store::ProjectFields f;
    f.name = "p";
    auto p = projects.create_project(f, "tester");
    ASSERT_TRUE(p.ok());
    project_ = p->id;
    key_file_ = dir_.str() + "/master.key";
    ASSERT_TRUE(secrets::init_key_ring_file(key_file_).ok());
    for (int i = 0; i < kSecrets; ++i) {
      const std::string name = "SECRET_" + std::to_string(i);
      const std::string env = i % 3 == 0 ? "Production" : "";
      values_[name + "@" + env] = "value-number-" + std::to_string(i);
      put(name, env, values_[name + "@" + env]);
    }
  }

  void put(const std::string& name, const std::string& env, const std::string& value) {
    auto ring = secrets::read_key_ring_file(key_file_);
    ASSERT_TRUE(ring.ok());
    store::SecretStore store(*db_, clock_);
    auto w = store.put(project_, env, name, "u", [&](const store::SecretRecord& row)
                                                     -> Result<store::SecretCiphertext> {
      OPZ_TRY(auto s, secrets::seal_secret(*ring, {row.id, row.project_id, row.environment_id,
                                                   row.name},
                                           value));
      return store::SecretCiphertext{s.key_id, s.nonce, s.ciphertext};
    });
    ASSERT_TRUE(w.ok()) << w.error().to_string();
  }

  // Every secret opens with the ring on disk and has its value; answers how
  // many are under `key_id`.
  int check_all_readable(const std::string& key_id) {
    auto ring = secrets::read_key_ring_file(key_file_);
    EXPECT_TRUE(ring.ok());
    store::SecretStore store(*db_, clock_);
    auto rows = store.list_project(project_);
    EXPECT_TRUE(rows.ok());
    EXPECT_EQ(rows->size(), static_cast<size_t>(kSecrets));
    int under = 0;
    for (const auto& r : *rows) {
      auto value = secrets::open_secret(*ring, {r.id, r.project_id, r.environment_id, r.name},
                                        {r.sealed.key_id, r.sealed.nonce, r.sealed.ciphertext});
      EXPECT_TRUE(value.ok()) << r.name << ": " << value.error().to_string();
      if (value.ok()) {
        EXPECT_EQ(*value, values_[r.name + "@" + r.environment]);
      }
      if (r.sealed.key_id == key_id) ++under;
    }
    return under;
  }

  static constexpr int kSecrets = 12;
  ManualClock clock_;
  opz::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::string project_;
  std::string key_file_;
  std::map<std::string, std::string> values_;
};

TEST_F(KeyRotationTest, MovesEverySecretUnderANewKeyThatTheRingKeepsBesideTheOld) {
  auto report = rotate_master_key(*db_, clock_, {key_file_, 5, std::nullopt});
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->key_id, "k2");
  EXPECT_FALSE(report->resumed);
  EXPECT_EQ(report->resealed, kSecrets);
  EXPECT_TRUE(report->unreadable.empty());
  EXPECT_EQ(check_all_readable("k2"), kSecrets);
  auto ring = secrets::read_key_ring_file(key_file_);
  EXPECT_EQ(ring->keys().size(), 2u);
  auto again = rotate_master_key(*db_, clock_, {key_file_, 5, std::nullopt});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->key_id, "k3") << "a finished rotation: the next run starts a new one";
  EXPECT_EQ(check_all_readable("k3"), kSecrets);
}

TEST_F(KeyRotationTest, StoppedAfterAnyNumberOfRowsARerunFinishesItAndLosesNothing) {
  for (int k : {0, 1, 4, 11}) {
    auto ring = secrets::read_key_ring_file(key_file_);
    ASSERT_TRUE(ring.ok());
    const size_t keys_before = ring->keys().size();
    auto stopped = rotate_master_key(*db_, clock_, {key_file_, 3, k});
    ASSERT_TRUE(stopped.ok()) << stopped.error().to_string();
    EXPECT_TRUE(stopped->stopped);
    EXPECT_EQ(stopped->resealed, k);
    // The "killed" state: the ring has the new key, k rows moved, all readable.
    EXPECT_EQ(check_all_readable(stopped->key_id), k) << "after " << k;
    auto resumed = rotate_master_key(*db_, clock_, {key_file_, 3, std::nullopt});
    ASSERT_TRUE(resumed.ok());
    EXPECT_TRUE(resumed->resumed);
    EXPECT_EQ(resumed->key_id, stopped->key_id) << "no second key for one rotation";
    EXPECT_EQ(resumed->resealed, kSecrets - k);
    EXPECT_EQ(check_all_readable(stopped->key_id), kSecrets);
    EXPECT_EQ(secrets::read_key_ring_file(key_file_)->keys().size(), keys_before + 1);
  }
}

TEST_F(KeyRotationTest, ASecretSetDuringTheRotationKeepsItsNewValue) {
  auto stopped = rotate_master_key(*db_, clock_, {key_file_, 50, 2});
  ASSERT_TRUE(stopped.ok());
  clock_.advance(std::chrono::seconds(1));
  values_["SECRET_5@"] = "set-while-rotating";
  put("SECRET_5", "", "set-while-rotating");  // the server seals with the newest key
  auto resumed = rotate_master_key(*db_, clock_, {key_file_, 50, std::nullopt});
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(check_all_readable(stopped->key_id), kSecrets);
}

TEST_F(KeyRotationTest, WithoutARingFileNothingChanges) {
  auto report = rotate_master_key(*db_, clock_, {dir_.str() + "/missing.key", 5, std::nullopt});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(check_all_readable("k1"), kSecrets);
}

TEST_F(KeyRotationTest, GithubTokensAreReencryptedAndOldOnesMovedIntoGithubTokens) {
  const std::string token = "ghp_rotation-test-token-0123456789abcdef";
  const std::string legacy_file = dir_.str() + "/secret.key";
  auto box = secrets::SecretBox::open_or_create(legacy_file);
  ASSERT_TRUE(box.ok());
  store::GithubStore github(*db_, clock_);
  store::GithubIntegrationFields f;
  f.repository_owner = "octo";
  f.repository_name = "app";
  f.webhook_secret_sealed = "v1:x";
  f.api_base_url = "https://api.github.com";
  f.token_sealed = *box->seal(token);  // sealed before the ring existed
  ASSERT_TRUE(github.put(project_, f, "admin").ok());

  RotationOptions options{key_file_, 5, std::nullopt};
  options.legacy_key_file = legacy_file;
  auto report = rotate_master_key(*db_, clock_, options);
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_EQ(report->resealed, kSecrets + 1);
  EXPECT_TRUE(report->unreadable.empty());
  auto record = github.find_by_project(project_);
  ASSERT_TRUE(record.ok());
  ASSERT_TRUE(record->token_sealed.starts_with(store::kRingTokenPrefix));
  EXPECT_EQ(store::decode_ring_token(record->token_sealed)->key_id, report->key_id);
  secrets::MasterKeys keys({key_file_, std::nullopt});
  EXPECT_EQ(*trigger::GithubTokens(*box, &keys).open(*record), token);

  // The next rotation moves the token to the next key; it still opens.
  auto next = rotate_master_key(*db_, clock_, options);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->resealed, kSecrets + 1);
  record = github.find_by_project(project_);
  EXPECT_EQ(store::decode_ring_token(record->token_sealed)->key_id, next->key_id);
  EXPECT_EQ(*trigger::GithubTokens(*box, &keys).open(*record), token);
}

}  // namespace
}  // namespace opz::cli
