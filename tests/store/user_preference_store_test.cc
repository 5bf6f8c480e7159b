#include "store/user_preference_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"
#include "store/user_store.h"

namespace opz::store {
namespace {

class UserPreferenceStoreTest : public MigratedDbTest {
 protected:
  std::string user() {
    auto u = UserStore(*db_, clock_).create("a@example.com", "", "x", "viewer");
    EXPECT_TRUE(u.ok()) << u.error().to_string();
    return u.ok() ? u->id : std::string();
  }
  // Built on use: db_ exists only after SetUp.
  UserPreferenceStore store() { return {*db_, clock_}; }
};

TEST_F(UserPreferenceStoreTest, WithoutARowTheDefaultsAreAnswered) {
  auto p = store().get("no-such-user");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->default_mode, "control-tower");
  EXPECT_EQ(p->ui_preferences, Json::object());
  EXPECT_TRUE(p->updated_at.empty());
}

TEST_F(UserPreferenceStoreTest, UiPreferencesMergeAsAJsonMergePatch) {
  const std::string u = user();
  auto first = store().update(u, "dashboard", Json{{"theme", "dark"}, {"panels", {{"a", 1}}}},
                             64 * 1024);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  auto second = store().update(u, std::nullopt,
                              Json{{"theme", nullptr}, {"panels", {{"b", 2}}}, {"density", "x"}},
                              64 * 1024);
  ASSERT_TRUE(second.ok());
  auto p = store().get(u);
  EXPECT_EQ(p->default_mode, "dashboard");  // kept: not given the second time
  EXPECT_EQ(p->ui_preferences,
            Json::parse(R"({"panels": {"a": 1, "b": 2}, "density": "x"})"));
  EXPECT_FALSE(p->updated_at.empty());
}

TEST_F(UserPreferenceStoreTest, ATooLargeResultIsRefusedAndNothingChanges) {
  const std::string u = user();
  ASSERT_TRUE(store().update(u, std::nullopt, Json{{"a", std::string(40, 'x')}}, 100).ok());
  auto refused = store().update(u, "pipeline", Json{{"b", std::string(80, 'y')}}, 100);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "ui_preferences");
  auto p = store().get(u);
  EXPECT_EQ(p->default_mode, "control-tower");
  EXPECT_FALSE(p->ui_preferences.contains("b"));
}

}  // namespace
}  // namespace opz::store
