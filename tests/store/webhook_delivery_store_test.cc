#include "store/webhook_delivery_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "core/time_format.h"
#include "store/execution_store.h"
#include "store/project_store.h"
#include "store/triggered_execution.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class WebhookDeliveryStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<WebhookDeliveryStore>(*db_, clock_);
    project_ = create_project();
  }
  DeliveryRecord delivery(const std::string& guid, const std::string& event = "push") {
    DeliveryRecord d;
    d.delivery_guid = guid;
    d.project_id = project_;
    d.event = event;
    d.signature_valid = true;
    d.headers = {{"X-GitHub-Event", event}};
    d.body = std::string("{\"zen\":\"caf\xc3\xa9\"}");
    return d;
  }

  std::unique_ptr<WebhookDeliveryStore> store_;
  std::string project_;
};

TEST_F(WebhookDeliveryStoreTest, StoresOnceAndAnswersDuplicatesWithTheStoredId) {
  auto first = store_->insert(delivery("guid-1"));
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_FALSE(first->duplicate);
  auto again = store_->insert(delivery("guid-1", "ping"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->id, first->id);
  auto row = store_->find(first->id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->event, "push") << "a duplicate changes nothing";
  EXPECT_EQ(row->body, "{\"zen\":\"caf\xc3\xa9\"}");
  EXPECT_EQ(row->body_bytes, 15);
  EXPECT_EQ(row->outcome, "pending");
  EXPECT_EQ(row->headers["X-GitHub-Event"], "push");
  // The answer carries the stored received_at (the receiver's snapshot uses
  // it instead of reading the row back); a duplicate's is empty.
  EXPECT_FALSE(first->received_at.empty());
  EXPECT_EQ(first->received_at, row->received_at);
  EXPECT_TRUE(again->received_at.empty());
}

TEST_F(WebhookDeliveryStoreTest, ConcurrentInsertsOfOneGuidStoreExactlyOneRow) {
  std::atomic<int> stored{0}, duplicates{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = store_->insert(delivery("same-guid"));
        if (!r.ok())
          ++failed;
        else if (r->duplicate)
          ++duplicates;
        else
          ++stored;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stored.load(), 1);
  EXPECT_EQ(duplicates.load(), 199);
  EXPECT_EQ(failed.load(), 0);
}

TEST_F(WebhookDeliveryStoreTest, OutcomeIsRecordedOnceAndPendingListsWhatIsLeft) {
  auto a = store_->insert(delivery("a"));
  clock_.advance(std::chrono::seconds(1));
  auto b = store_->insert(delivery("b"));
  ASSERT_TRUE(a.ok() && b.ok());
  auto pending = store_->pending();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0], a->id);

  ASSERT_TRUE(store_->record_outcome(a->id, {"ignored", "event x is not handled", "", ""}).ok());
  auto twice = store_->record_outcome(a->id, {"processed", "", "", ""});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->record_outcome(b->id, {"pending", "", "", ""}).error().code,
            ErrorCode::kValidation);
  EXPECT_EQ(store_->record_outcome("nope", {"failed", "", "", ""}).error().code,
            ErrorCode::kNotFound);
  auto row = store_->find(a->id, false);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->outcome, "ignored");
  EXPECT_EQ(row->outcome_reason, "event x is not handled");
  EXPECT_FALSE(row->processed_at.empty());
  EXPECT_TRUE(row->body.empty());
  EXPECT_EQ(store_->pending()->size(), 1u);
}

TEST_F(WebhookDeliveryStoreTest, ListsNewestFirstWithFiltersAndCursor) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->insert(delivery("g" + std::to_string(i), i % 2 ? "ping" : "push")).ok());
    clock_.advance(std::chrono::seconds(1));
  }
  auto page = store_->list({}, PageRequest{"", 2});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].delivery_guid, "g4");
  EXPECT_TRUE(page->items[0].body.empty());
  ASSERT_TRUE(page->next_cursor.has_value());
  auto next = store_->list({}, PageRequest{*page->next_cursor, 10});
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->items.size(), 3u);
  EXPECT_EQ(next->items[0].delivery_guid, "g2");
  EXPECT_FALSE(next->next_cursor.has_value());

  auto pings = store_->list({.event = "ping"}, PageRequest{}, true);
  ASSERT_TRUE(pings.ok());
  ASSERT_EQ(pings->items.size(), 2u);
  EXPECT_FALSE(pings->items[0].body.empty());
  EXPECT_EQ(store_->list({.outcome = "weird"}, PageRequest{}).error().code, ErrorCode::kValidation);
  EXPECT_EQ(store_->list({.project_id = "other"}, PageRequest{})->items.size(), 0u);
}

TEST_F(WebhookDeliveryStoreTest, FindsTheDeliveryThatAlreadyUsedATriggerKey) {
  auto a = store_->insert(delivery("a"));
  auto b = store_->insert(delivery("b"));
  ASSERT_TRUE(store_->record_outcome(a->id, {"processed", "started", "", "tag:p:v1"}).ok());
  auto hit = store_->find_by_trigger_key("tag:p:v1", b->id);
  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ((*hit)->id, a->id);
  EXPECT_FALSE(store_->find_by_trigger_key("tag:p:v1", a->id)->has_value());
  EXPECT_FALSE(store_->find_by_trigger_key("tag:p:v2", b->id)->has_value());
}

TEST_F(WebhookDeliveryStoreTest, FindsAnExecutionByMetadataCreatedSinceATime) {
  ExecutionStore executions(*db_);
  const std::string since = format_time(clock_.now());
  ExecutionRecord e;
  e.id = "11111111-1111-4111-8111-111111111111";
  e.name = "Deploy abc1234";
  e.project_id = project_;
  e.status = "idle";
  e.trigger_type = "push";
  e.metadata = {{"delivery_id", "d-1"}};
  e.created_at = e.updated_at = since;
  ASSERT_TRUE(executions.create(e, {}).ok());
  auto found = find_triggered_execution(*db_, project_, since, "delivery_id", "d-1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, e.id);
  EXPECT_EQ(*find_triggered_execution(*db_, project_, since, "delivery_id", "d-2"), "");
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(
      *find_triggered_execution(*db_, project_, format_time(clock_.now()), "delivery_id", "d-1"),
      "")
      << "older executions are outside the window";
}

}  // namespace
}  // namespace opz::store
