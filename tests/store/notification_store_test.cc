#include "store/notification_store.h"

#include <gtest/gtest.h>

#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

class NotificationStoreTest : public MigratedDbTest {
 protected:
  NotificationRecord make(const std::string& user, const std::string& type) {
    NotificationRecord n;
    n.type = type;
    n.target_user_id = user;
    n.payload = Json{{"execution_id", "e1"}};
    clock_.advance(std::chrono::seconds(1));
    auto r = NotificationStore(*db_, clock_).create(n);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : NotificationRecord{};
  }
};

TEST_F(NotificationStoreTest, ListsTheUsersOwnNewestFirstWithPages) {
  NotificationStore store(*db_, clock_);
  make("u1", "a");
  make("u2", "b");
  make("u1", "c");
  make("u1", "d");
  PageRequest page;
  page.limit = 2;
  auto first = store.list_for_user("u1", false, page);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].type, "d");
  EXPECT_EQ(first->items[0].target, "u1");  // target defaults to the user
  EXPECT_EQ(first->items[0].payload["execution_id"], "e1");
  ASSERT_TRUE(first->next_cursor);
  page.cursor = *first->next_cursor;
  auto second = store.list_for_user("u1", false, page);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].type, "a");
  EXPECT_FALSE(second->next_cursor);
}

TEST_F(NotificationStoreTest, MarkReadOnlyOwnAndUnreadFilter) {
  NotificationStore store(*db_, clock_);
  auto a = make("u1", "a");
  make("u1", "b");
  auto other = make("u2", "c");
  EXPECT_TRUE(store.mark_read(other.id, "u1").error().is_not_found());
  auto read = store.mark_read(a.id, "u1");
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->read_at.empty());
  clock_.advance(std::chrono::seconds(5));
  EXPECT_EQ(store.mark_read(a.id, "u1")->read_at, read->read_at);  // first read kept
  auto unread = store.list_for_user("u1", true, {});
  ASSERT_EQ(unread->items.size(), 1u);
  EXPECT_EQ(unread->items[0].type, "b");
  EXPECT_EQ(*store.mark_all_read("u1"), 1);
  EXPECT_TRUE(store.list_for_user("u1", true, {})->items.empty());
  EXPECT_EQ(store.list_for_user("u2", true, {})->items.size(), 1u);
}

}  // namespace
}  // namespace opz::store
