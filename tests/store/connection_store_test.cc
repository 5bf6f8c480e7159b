#include "store/connection_store.h"

#include <gtest/gtest.h>

#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

class ConnectionStoreTest : public MigratedDbTest {
 protected:
  ConnectionRecord connection(const std::string& name) {
    ConnectionRecord c;
    c.type = "http";
    c.name = name;
    c.config = Json{{"url", "https://status.example.com"}};
    c.secret_sealed = "v1:sealed";
    return c;
  }
};

TEST_F(ConnectionStoreTest, CreateListFindRemoveWithTheSealedSecretKept) {
  ConnectionStore store(*db_, clock_);
  auto a = store.create(connection("b-status"));
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_TRUE(store.create(connection("a-status")).ok());
  auto dup = store.create(connection("a-status"));
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(dup.error().is_conflict());
  EXPECT_EQ(dup.error().field, "name");
  auto all = store.list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "a-status");
  auto found = store.find(a->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->status, "pending");
  EXPECT_EQ(found->config["url"], "https://status.example.com");
  EXPECT_EQ(found->secret_sealed, "v1:sealed");
  EXPECT_FALSE(found->validated);
  EXPECT_TRUE(store.remove(a->id).ok());
  EXPECT_TRUE(store.find(a->id).error().is_not_found());
  EXPECT_TRUE(store.remove(a->id).error().is_not_found());
}

TEST_F(ConnectionStoreTest, ACheckIsStoredWithTheConnectionsNewStatus) {
  ConnectionStore store(*db_, clock_);
  auto c = store.create(connection("registry"));
  ASSERT_TRUE(c.ok());
  auto first = store.record_check({"", c->id, "healthy", 12, "HTTP 200", ""});
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_FALSE(first->created_at.empty());
  auto after = store.find(c->id);
  EXPECT_EQ(after->status, "active");
  EXPECT_TRUE(after->validated);
  EXPECT_EQ(after->last_validated_at, first->created_at);
  clock_.advance(std::chrono::seconds(5));
  ASSERT_TRUE(store.record_check({"", c->id, "unhealthy", 3, "HTTP 500", ""}).ok());
  EXPECT_EQ(store.find(c->id)->status, "failed");
  EXPECT_FALSE(store.find(c->id)->validated);
  auto events = store.events(c->id, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].status, "unhealthy");
  EXPECT_EQ((*events)[0].response_time_ms, 3);
  EXPECT_EQ((*events)[1].message, "HTTP 200");
  EXPECT_TRUE(store.record_check({"", "no-such-id", "healthy", 1, "", ""}).error().is_not_found());
  ASSERT_TRUE(store.remove(c->id).ok());
  EXPECT_TRUE(store.events(c->id, 10)->empty());
}

}  // namespace
}  // namespace opz::store
