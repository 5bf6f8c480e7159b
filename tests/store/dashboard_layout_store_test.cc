#include "store/dashboard_layout_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"
#include "store/user_store.h"

namespace opz::store {
namespace {

class DashboardLayoutStoreTest : public MigratedDbTest {
 protected:
  std::string user(const std::string& email) {
    auto u = UserStore(*db_, clock_).create(email, "", "x", "viewer");
    EXPECT_TRUE(u.ok()) << u.error().to_string();
    return u.ok() ? u->id : std::string();
  }
  std::vector<std::string> defaults_of(const std::string& user_id) {
    std::vector<std::string> out;
    auto layouts = store().list(user_id);  // named: a loop over *temporary would dangle
    EXPECT_TRUE(layouts.ok());
    if (!layouts.ok()) return out;
    for (const auto& l : *layouts)
      if (l.is_default) out.push_back(l.name);
    return out;
  }
  // Built on use: db_ exists only after SetUp.
  DashboardLayoutStore store() { return {*db_, clock_}; }
};

TEST_F(DashboardLayoutStoreTest, FirstLayoutIsTheDefaultAndANewDefaultReplacesIt) {
  const std::string u = user("a@example.com");
  auto first = store().create(u, "Ops", Json{{"widgets", Json::array({"executions"})}}, false);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_TRUE(first->is_default);
  EXPECT_EQ(first->layout["widgets"][0], "executions");
  auto second = store().create(u, "Release", Json::object(), false);
  EXPECT_FALSE(second->is_default);
  EXPECT_EQ(defaults_of(u), std::vector<std::string>{"Ops"});

  auto third = store().create(u, "Night", Json::object(), true);
  EXPECT_TRUE(third->is_default);
  EXPECT_EQ(defaults_of(u), std::vector<std::string>{"Night"});

  DashboardLayoutChange make_default;
  make_default.is_default = true;
  ASSERT_TRUE(store().update(u, second->id, make_default).ok());
  EXPECT_EQ(defaults_of(u), std::vector<std::string>{"Release"});
  EXPECT_EQ(store().list(u)->front().name, "Release");  // the default comes first
}

TEST_F(DashboardLayoutStoreTest, TheDefaultCannotBeUnsetOnlyReplaced) {
  const std::string u = user("a@example.com");
  auto only = store().create(u, "Ops", Json::object(), false);
  DashboardLayoutChange unset;
  unset.is_default = false;
  auto refused = store().update(u, only->id, unset);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "is_default");
  EXPECT_EQ(defaults_of(u), std::vector<std::string>{"Ops"});
}

TEST_F(DashboardLayoutStoreTest, DeletingTheDefaultPromotesTheMostRecentlyUpdated) {
  const std::string u = user("a@example.com");
  auto a = store().create(u, "A", Json::object(), false);
  clock_.advance(std::chrono::seconds(1));
  auto b = store().create(u, "B", Json::object(), false);
  clock_.advance(std::chrono::seconds(1));
  auto c = store().create(u, "C", Json::object(), false);
  clock_.advance(std::chrono::seconds(1));
  DashboardLayoutChange rename;
  rename.name = "B2";
  ASSERT_TRUE(store().update(u, b->id, rename).ok());
  ASSERT_TRUE(store().remove(u, a->id).ok());
  EXPECT_EQ(defaults_of(u), std::vector<std::string>{"B2"});
  ASSERT_TRUE(store().remove(u, c->id).ok());  // not the default: nothing else changes
  EXPECT_EQ(defaults_of(u), std::vector<std::string>{"B2"});
  ASSERT_TRUE(store().remove(u, b->id).ok());
  EXPECT_TRUE(store().list(u)->empty());
}

TEST_F(DashboardLayoutStoreTest, AnotherUsersLayoutIsNotFound) {
  const std::string alice = user("a@example.com");
  const std::string bob = user("b@example.com");
  auto mine = store().create(alice, "Mine", Json{{"k", 1}}, false);
  DashboardLayoutChange rename;
  rename.name = "Stolen";
  auto updated = store().update(bob, mine->id, rename);
  ASSERT_FALSE(updated.ok());
  EXPECT_TRUE(updated.error().is_not_found());
  EXPECT_TRUE(store().remove(bob, mine->id).error().is_not_found());
  EXPECT_TRUE(store().list(bob)->empty());
  ASSERT_EQ(store().list(alice)->size(), 1u);
  EXPECT_EQ(store().list(alice)->front().name, "Mine");
  // Bob's first layout is his own default; Alice's stays hers.
  EXPECT_TRUE(store().create(bob, "His", Json::object(), false)->is_default);
  EXPECT_EQ(defaults_of(alice), std::vector<std::string>{"Mine"});
}

}  // namespace
}  // namespace opz::store
