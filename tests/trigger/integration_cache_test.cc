#include "trigger/integration_cache.h"

#include <gtest/gtest.h>

#include "store/sqlite_database.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using namespace std::chrono_literals;

class IntegrationCacheTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    github_ = std::make_unique<store::GithubStore>(*db_, clock_);
    ASSERT_TRUE(github_->put(project_.id, fields("v1:first"), "admin").ok());
    cache_ = std::make_unique<IntegrationCache>(*github_, manual_, 1000ms);
  }
  static store::GithubIntegrationFields fields(const std::string& secret) {
    store::GithubIntegrationFields f;
    f.repository_owner = "Octo";
    f.repository_name = "Demo";
    f.webhook_secret_sealed = secret;
    f.api_base_url = "https://api.github.com";
    return f;
  }
  uint64_t reads() { return dynamic_cast<store::SqliteDatabase&>(*db_).stats().reads; }

  ManualClock manual_{TimePoint{} + 1000h};
  std::unique_ptr<store::GithubStore> github_;
  std::unique_ptr<IntegrationCache> cache_;
};

TEST_F(IntegrationCacheTest, AnswersFromMemoryWithinTheTtlThenAsksAgain) {
  ASSERT_EQ(cache_->by_project(project_.id)->webhook_secret_sealed, "v1:first");
  const uint64_t before = reads();
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(cache_->by_project(project_.id)->webhook_secret_sealed, "v1:first");
    // GitHub's names are case-insensitive; the cache keys are too.
    EXPECT_EQ(cache_->by_repository("octo", "DEMO")->project_id, project_.id);
  }
  EXPECT_EQ(reads() - before, 1u) << "only the first by_repository reads";

  // Another process (another store on the same database) rotates the secret:
  // seen once the ttl has passed, not before.
  store::GithubStore elsewhere(*db_, clock_);
  ASSERT_TRUE(elsewhere.put(project_.id, fields("v1:second"), "admin").ok());
  manual_.advance(999ms);
  EXPECT_EQ(cache_->by_project(project_.id)->webhook_secret_sealed, "v1:first");
  manual_.advance(1ms);
  EXPECT_EQ(cache_->by_project(project_.id)->webhook_secret_sealed, "v1:second");
}

TEST_F(IntegrationCacheTest, AChangeThroughItsOwnStoreAppliesAtOnce) {
  ASSERT_TRUE(cache_->by_project(project_.id).ok());
  ASSERT_TRUE(cache_->by_repository("octo", "demo").ok());
  ASSERT_TRUE(github_->put(project_.id, fields("v1:rotated"), "admin").ok());
  EXPECT_EQ(cache_->by_project(project_.id)->webhook_secret_sealed, "v1:rotated");
  ASSERT_TRUE(github_->remove(project_.id).ok());
  EXPECT_TRUE(cache_->by_project(project_.id).error().is_not_found());
  EXPECT_TRUE(cache_->by_repository("octo", "demo").error().is_not_found());
}

TEST_F(IntegrationCacheTest, MissesAreNotKept) {
  const std::string unknown = "00000000-0000-4000-8000-000000000000";
  const uint64_t before = reads();
  EXPECT_TRUE(cache_->by_project(unknown).error().is_not_found());
  EXPECT_TRUE(cache_->by_project(unknown).error().is_not_found());
  EXPECT_EQ(reads() - before, 2u);
}

}  // namespace
}  // namespace opz::trigger
