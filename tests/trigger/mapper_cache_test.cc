#include "trigger/mapper_cache.h"

#include <gtest/gtest.h>

#include "store/sqlite_database.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using namespace std::chrono_literals;

class MapperCacheTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    mappings_ = std::make_unique<store::BranchMappingStore>(*db_, clock_);
    cache_ = std::make_unique<MapperCache>(*mappings_, manual_, 1000ms);
  }
  static std::vector<store::BranchMappingRecord> one_rule(const std::string& pattern) {
    store::BranchMappingRecord r;
    r.branch_pattern = pattern;
    r.environment = "Development";
    return {r};
  }
  bool maps(const std::string& ref) {
    auto mapper = cache_->for_project(project_.id);
    EXPECT_TRUE(mapper.ok());
    return mapper.ok() && (*mapper)->mapper.resolve(ref).matched;
  }
  uint64_t reads() { return dynamic_cast<store::SqliteDatabase&>(*db_).stats().reads; }

  ManualClock manual_{TimePoint{} + 1000h};
  std::unique_ptr<store::BranchMappingStore> mappings_;
  std::unique_ptr<MapperCache> cache_;
};

TEST_F(MapperCacheTest, AnswersFromMemoryWithinTheTtlThenAsksAgain) {
  auto first = cache_->for_project(project_.id);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)->source, "global");
  const uint64_t before = reads();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(cache_->for_project(project_.id)->get(), first->get());
  EXPECT_EQ(reads(), before) << "hits read nothing and share one mapper";

  // Another server (another store on the same database) maps "spike": seen
  // once the ttl has passed, not before.
  store::BranchMappingStore elsewhere(*db_, clock_);
  ASSERT_TRUE(elsewhere.replace(project_.id, one_rule("spike")).ok());
  manual_.advance(999ms);
  EXPECT_FALSE(maps("refs/heads/spike"));
  manual_.advance(1ms);
  EXPECT_TRUE(maps("refs/heads/spike"));
}

TEST_F(MapperCacheTest, AChangeThroughItsOwnStoreAppliesAtOnce) {
  EXPECT_FALSE(maps("refs/heads/spike"));
  ASSERT_TRUE(mappings_->replace(project_.id, one_rule("spike")).ok());
  EXPECT_TRUE(maps("refs/heads/spike"));
  EXPECT_EQ((*cache_->for_project(project_.id))->source, "project");
  ASSERT_TRUE(mappings_->clear(project_.id).ok());
  EXPECT_FALSE(maps("refs/heads/spike"));
  EXPECT_TRUE(maps("refs/heads/main")) << "back to the global defaults";
}

}  // namespace
}  // namespace opz::trigger
