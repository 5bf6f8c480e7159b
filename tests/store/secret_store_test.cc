// SecretStore and EnvironmentConfigStore (migration 016): addresses, one row
// per (project, environment, name), what a node may receive, rotation's
// conditional reseal, environment renames and removals.
#include "store/secret_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"
#include "store/environment_config_store.h"
#include "store/environment_store.h"

namespace opz::store {
namespace {

class SecretStoreTest : public MigratedDbTest {
 protected:
  SecretStore store() { return SecretStore(*db_, clock_); }
  // A "sealer" that records what it was given and stores a marker, not a value.
  Result<SecretWrite> put(const std::string& project, const std::string& env,
                          const std::string& name, const std::string& key = "k1") {
    return store().put(project, env, name, "user-1", [&](const SecretRecord& row) {
      sealed_for_ = row;
      return Result<SecretCiphertext>(SecretCiphertext{key, "nonce-" + name, "cipher-" + name});
    });
  }
  SecretRecord sealed_for_;
};

TEST_F(SecretStoreTest, CreatesThenReplacesOneRowPerAddressAndTheSealerSeesTheAddress) {
  const std::string p = create_project();
  auto created = put(p, "Production", "DB_PASSWORD");
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->record.scope, "environment");
  EXPECT_EQ(created->record.ref_key, "environment/" + p + "/Production/DB_PASSWORD");
  EXPECT_FALSE(sealed_for_.id.empty());
  EXPECT_FALSE(sealed_for_.environment_id.empty()) << "the environment's id is associated data";
  const std::string id = sealed_for_.id;

  clock_.advance(std::chrono::seconds(5));
  auto replaced = put(p, "Production", "DB_PASSWORD", "k2");
  ASSERT_TRUE(replaced.ok());
  EXPECT_FALSE(replaced->created);
  EXPECT_EQ(replaced->record.id, id) << "the same row keeps its id";
  auto listed = store().list_project(p);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].sealed.key_id, "k2");
  EXPECT_EQ((*listed)[0].updated_by, "user-1");
  EXPECT_NE((*listed)[0].updated_at, (*listed)[0].created_at);
}

TEST_F(SecretStoreTest, UnknownProjectOrEnvironmentStoresNothing) {
  const std::string p = create_project();
  auto no_env = put(p, "Nowhere", "X_TOKEN");
  ASSERT_FALSE(no_env.ok());
  EXPECT_EQ(no_env.error().code, ErrorCode::kValidation);
  EXPECT_EQ(no_env.error().field, "environment");
  auto no_project = put("0f000000-0000-4000-8000-000000000009", "", "X_TOKEN");
  ASSERT_FALSE(no_project.ok());
  EXPECT_EQ(no_project.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store().list_project(p)->empty());
}

TEST_F(SecretStoreTest, InjectionSeesGlobalProjectAndOnlyTheNamedEnvironment) {
  const std::string p = create_project("a");
  const std::string other = create_project("b");
  ASSERT_TRUE(put("", "", "GLOBAL_ONE").ok());
  ASSERT_TRUE(put(p, "", "SHARED").ok());
  ASSERT_TRUE(put(p, "Production", "SHARED").ok());
  ASSERT_TRUE(put(p, "Development", "DEV_ONLY").ok());
  ASSERT_TRUE(put(other, "", "OTHER_PROJECT").ok());

  auto names = [](const std::vector<SecretRecord>& rows) {
    std::multiset<std::string> out;
    for (const auto& r : rows) out.insert(r.name + "@" + r.scope);
    return out;
  };
  EXPECT_EQ(names(*store().for_injection(p, "Production")),
            (std::multiset<std::string>{"GLOBAL_ONE@global", "SHARED@project",
                                        "SHARED@environment"}));
  EXPECT_EQ(names(*store().for_injection(p, "")),
            (std::multiset<std::string>{"GLOBAL_ONE@global", "SHARED@project"}));
  EXPECT_EQ(store().list_project(p)->size(), 3u);
  EXPECT_EQ(store().list_global()->size(), 1u);
}

TEST_F(SecretStoreTest, RemoveDeletesOneAddressAndUnknownIsNotFound) {
  const std::string p = create_project();
  ASSERT_TRUE(put(p, "", "A_KEY").ok());
  ASSERT_TRUE(put(p, "Production", "A_KEY").ok());
  ASSERT_TRUE(store().remove(p, "Production", "A_KEY").ok());
  auto again = store().remove(p, "Production", "A_KEY");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  ASSERT_EQ(store().list_project(p)->size(), 1u);
  EXPECT_EQ((*store().list_project(p))[0].scope, "project");
}

TEST_F(SecretStoreTest, ResealReplacesOnlyRowsStillUnderTheExpectedKeyAndTime) {
  const std::string p = create_project();
  ASSERT_TRUE(put(p, "", "A_KEY").ok());
  ASSERT_TRUE(put(p, "", "B_KEY").ok());
  auto pending = store().not_under_key("k2", 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  const SecretRecord a = (*pending)[0];
  EXPECT_TRUE(*store().reseal(a.id, "k1", a.updated_at, {"k2", "n", "c"}));
  EXPECT_FALSE(*store().reseal(a.id, "k1", a.updated_at, {"k2", "n", "c"})) << "already moved";
  const SecretRecord b = (*pending)[1];
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(put(p, "", b.name, "k1").ok());  // set again meanwhile
  EXPECT_FALSE(*store().reseal(b.id, "k1", b.updated_at, {"k2", "n", "c"}));
  EXPECT_EQ(store().not_under_key("k2", 10)->size(), 1u);
}

TEST_F(SecretStoreTest, RenamingAnEnvironmentKeepsItsSecretsAndConfigAndRemovingDropsThem) {
  const std::string p = create_project();
  ASSERT_TRUE(put(p, "Staging", "S_TOKEN").ok());
  const std::string env_id = sealed_for_.environment_id;
  EnvironmentConfigStore configs(*db_, clock_);
  ASSERT_TRUE(configs.put(p, "Staging", {{"REGION", "eu"}}, "user-1").ok());
  EnvironmentStore envs(*db_, clock_);
  auto renamed = envs.update(p, "Staging", [](EnvironmentRecord& e) -> Status {
    e.name = "Zone-Seven";
    return {};
  });
  ASSERT_TRUE(renamed.ok()) << renamed.error().to_string();
  auto rows = store().for_injection(p, "Zone-Seven");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].environment_id, env_id) << "same environment id: still decrypts";
  EXPECT_EQ((*rows)[0].ref_key, "environment/" + p + "/Zone-Seven/S_TOKEN");
  auto config = configs.get(p, "Zone-Seven");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->variables.at("REGION"), "eu");
  ASSERT_TRUE(db_->write([&](SqlSession& s) {
                   return s.exec("DELETE FROM project_environments WHERE id = $1", {env_id});
                 }).ok());
  EXPECT_TRUE(store().list_project(p)->empty());
}

TEST_F(SecretStoreTest, EnvironmentConfigGetIsEmptyUntilPutAndPutReplacesAll) {
  const std::string p = create_project();
  EnvironmentConfigStore configs(*db_, clock_);
  auto empty = configs.get(p, "Production");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->id.empty());
  EXPECT_TRUE(empty->variables.empty());
  ASSERT_TRUE(configs.put(p, "Production", {{"A", "1"}, {"B", "2"}}, "u").ok());
  auto second = configs.put(p, "Production", {{"B", "3"}}, "u2");
  ASSERT_TRUE(second.ok());
  auto got = configs.get(p, "Production");
  EXPECT_EQ(got->variables, (std::map<std::string, std::string>{{"B", "3"}}));
  EXPECT_EQ(got->updated_by, "u2");
  auto unknown = configs.get(p, "Nowhere");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace opz::store
