#include "store/project_webhook_store.h"

#include <gtest/gtest.h>

#include "store/migrated_db_test.h"

namespace opz::store {
namespace {

class ProjectWebhookStoreTest : public MigratedDbTest {
 protected:
  ProjectWebhookRecord hook(const std::string& project) {
    ProjectWebhookRecord w;
    w.project_id = project;
    w.url = "http://127.0.0.1:9/hook";
    w.secret_sealed = "v1:sealed";
    w.events = Json::array({"approval_requested"});
    return w;
  }
};

TEST_F(ProjectWebhookStoreTest, CreateListFindRemove) {
  ProjectWebhookStore store(*db_, clock_);
  const std::string p = create_project("a");
  const std::string q = create_project("b");
  EXPECT_TRUE(store.create(hook("missing")).error().is_not_found());
  auto w = store.create(hook(p));
  ASSERT_TRUE(w.ok()) << w.error().to_string();
  EXPECT_EQ(store.list(p)->size(), 1u);
  EXPECT_TRUE(store.list(q)->empty());
  EXPECT_EQ(store.find(p, w->id)->events[0], "approval_requested");
  EXPECT_TRUE(store.find(q, w->id).error().is_not_found());
  EXPECT_TRUE(store.remove(q, w->id).error().is_not_found());
  EXPECT_TRUE(store.remove(p, w->id).ok());
  EXPECT_TRUE(store.list(p)->empty());
}

TEST_F(ProjectWebhookStoreTest, DeliveriesComeDueAndRecordAttempts) {
  ProjectWebhookStore store(*db_, clock_);
  auto w = store.create(hook(create_project()));
  ASSERT_TRUE(w.ok());
  auto d = db_->write([&](SqlSession& tx) {
    return store.enqueue_in(tx, w->id, "approval_requested", R"({"a":1})");
  });
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  auto due = store.due(10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].url, w->url);
  EXPECT_EQ((*due)[0].delivery.payload, R"({"a":1})");
  clock_.advance(std::chrono::seconds(1));
  WebhookAttempt retry{"pending", 500, "HTTP 500", "2099-01-01T00:00:00.000Z"};
  ASSERT_TRUE(store.record_attempt(d->id, retry).ok());
  EXPECT_TRUE(store.due(10)->empty());
  EXPECT_EQ(**store.next_due_at(), "2099-01-01T00:00:00.000Z");
  ASSERT_TRUE(store.record_attempt(d->id, {"delivered", 200, "", ""}).ok());
  auto log = store.deliveries(w->id, {});
  ASSERT_EQ(log->items.size(), 1u);
  EXPECT_EQ(log->items[0].status, "delivered");
  EXPECT_EQ(log->items[0].attempts, 2);
  EXPECT_EQ(log->items[0].last_status_code, 200);
  EXPECT_FALSE(log->items[0].delivered_at.empty());
  EXPECT_FALSE(*store.next_due_at());
}

}  // namespace
}  // namespace opz::store
