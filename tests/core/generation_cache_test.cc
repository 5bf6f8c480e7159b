#include "core/generation_cache.h"

#include <gtest/gtest.h>

namespace opz {
namespace {

using std::chrono::milliseconds;

TEST(GenerationCacheTest, AnswersTheStoredValueForTheSameKeyAndGeneration) {
  ManualClock clock;
  GenerationCache<std::string> cache(clock, milliseconds(1000));
  EXPECT_FALSE(cache.find("/api/v1/projects", 7));
  cache.store("/api/v1/projects", 7, R"({"items":[]})");
  EXPECT_EQ(cache.find("/api/v1/projects", 7).value_or("-"), R"({"items":[]})");
  EXPECT_FALSE(cache.find("/api/v1/projects?limit=1", 7)) << "the query string is part of the key";
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(GenerationCacheTest, AnyChangeOfGenerationInvalidatesEveryEntry) {
  ManualClock clock;
  GenerationCache<std::string> cache(clock, milliseconds(1000));
  cache.store("/a", 7, "old");
  EXPECT_FALSE(cache.find("/a", 8));
  cache.store("/a", 8, "new");
  EXPECT_EQ(cache.find("/a", 8).value_or("-"), "new");
}

TEST(GenerationCacheTest, AnOlderAnswerNeverReplacesANewerOne) {
  ManualClock clock;
  GenerationCache<std::string> cache(clock, milliseconds(1000));
  cache.store("/a", 9, "newer");
  cache.store("/a", 8, "older, computed concurrently");
  EXPECT_EQ(cache.find("/a", 9).value_or("-"), "newer");
}

TEST(GenerationCacheTest, EntriesExpireAfterMaxAgeForChangesTheGenerationMisses) {
  ManualClock clock;
  GenerationCache<std::string> cache(clock, milliseconds(1000));
  cache.store("/a", 1, "body");
  clock.advance(milliseconds(999));
  EXPECT_TRUE(cache.find("/a", 1));
  clock.advance(milliseconds(1));
  EXPECT_FALSE(cache.find("/a", 1));
}

TEST(GenerationCacheTest, IsBoundedByCapacity) {
  ManualClock clock;
  GenerationCache<std::string> cache(clock, milliseconds(1000), 3);
  cache.store("/1", 1, "a");
  cache.store("/2", 1, "b");
  cache.store("/3", 1, "c");
  cache.store("/3", 1, "c2");  // replacing an entry does not evict
  EXPECT_TRUE(cache.find("/1", 1));
  cache.store("/4", 1, "d");  // full: the table starts over
  EXPECT_FALSE(cache.find("/1", 1));
  EXPECT_EQ(cache.find("/4", 1).value_or("-"), "d");
}

}  // namespace
}  // namespace opz
