#include "store/github_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "store/project_store.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class GithubStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    projects_ = std::make_unique<ProjectStore>(*db_, clock_);
    ASSERT_TRUE(projects_->create_organization("Org", "org", "").ok());
    store_ = std::make_unique<GithubStore>(*db_, clock_);
    a_ = make_project("alpha");
    b_ = make_project("beta");
  }
  std::string make_project(const std::string& name) {
    ProjectFields f;
    f.name = name;
    auto p = projects_->create_project(f, "tester");
    EXPECT_TRUE(p.ok()) << p.error().to_string();
    return p->id;
  }
  GithubIntegrationFields fields(const std::string& owner, const std::string& name) {
    GithubIntegrationFields f;
    f.repository_owner = owner;
    f.repository_name = name;
    f.webhook_secret_sealed = "v1:sealed-secret";
    f.api_base_url = "https://api.github.com";
    f.workflow_file = "deploy.yml";
    return f;
  }

  std::unique_ptr<ProjectStore> projects_;
  std::unique_ptr<GithubStore> store_;
  std::string a_, b_;
};

TEST_F(GithubStoreTest, PutCreatesThenReplacesKeepingTheTokenUnlessGiven) {
  auto f = fields("Octo", "Repo");
  f.token_sealed = "v1:token";
  auto created = store_->put(a_, f, "admin-id");
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(created->full_name(), "Octo/Repo");
  EXPECT_EQ(created->token_sealed, "v1:token");
  EXPECT_EQ(created->created_by, "admin-id");

  clock_.advance(std::chrono::seconds(5));
  auto g = fields("Octo", "Repo");
  g.webhook_secret_sealed = "v1:other";
  auto updated = store_->put(a_, g, "someone-else");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->id, created->id);
  EXPECT_EQ(updated->webhook_secret_sealed, "v1:other");
  EXPECT_EQ(updated->token_sealed, "v1:token") << "an absent token leaves the stored one";
  EXPECT_EQ(updated->created_by, "admin-id");
  EXPECT_NE(updated->updated_at, created->updated_at);

  g.token_sealed = "";
  auto cleared = store_->put(a_, g, "x");
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE(cleared->token_sealed.empty());
}

TEST_F(GithubStoreTest, FindsByRepositoryCaseInsensitivelyAndAllowsSeveralProjects) {
  ASSERT_TRUE(store_->put(a_, fields("Octo", "Repo"), "u").ok());
  auto found = store_->find_by_repository("octo", "REPO");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->project_id, a_);
  EXPECT_EQ(store_->find_by_project(b_).error().code, ErrorCode::kNotFound);
  // A monorepo: a second project follows the same repository (migration 024).
  auto second = fields("octo", "repo");
  second.path_filters = std::vector<std::string>{"services/api/**", "!**.md"};
  ASSERT_TRUE(store_->put(b_, second, "u").ok());
  auto all = store_->find_all_by_repository("OCTO", "repo");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  std::set<std::string> projects{(*all)[0].project_id, (*all)[1].project_id};
  EXPECT_EQ(projects, (std::set<std::string>{a_, b_}));
  auto b = store_->find_by_project(b_);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->path_filters, (std::vector<std::string>{"services/api/**", "!**.md"}));
  EXPECT_TRUE(store_->find_by_project(a_)->path_filters.empty());
  // Absent filters keep the stored ones; an empty list removes them.
  ASSERT_TRUE(store_->put(b_, fields("octo", "repo"), "u").ok());
  EXPECT_EQ(store_->find_by_project(b_)->path_filters.size(), 2u);
  auto cleared = fields("octo", "repo");
  cleared.path_filters = std::vector<std::string>{};
  ASSERT_TRUE(store_->put(b_, cleared, "u").ok());
  EXPECT_TRUE(store_->find_by_project(b_)->path_filters.empty());
  EXPECT_EQ(store_->find_by_repository("octo", "other").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->find_all_by_repository("octo", "other")->empty());
}

TEST_F(GithubStoreTest, RemoveAndUnknownProject) {
  ASSERT_TRUE(store_->put(a_, fields("o", "r"), "u").ok());
  EXPECT_TRUE(store_->remove(a_).ok());
  EXPECT_EQ(store_->remove(a_).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store_->put("00000000-0000-4000-8000-000000000000", fields("o", "r"), "u").ok());
}

}  // namespace
}  // namespace opz::store
