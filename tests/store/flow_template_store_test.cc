#include "store/flow_template_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

class FlowTemplateStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<FlowTemplateStore>(*db_, clock_);
  }

  std::unique_ptr<FlowTemplateStore> store_;
};

TEST_F(FlowTemplateStoreTest, CreateFindUpdateDelete) {
  Json nodes = Json::array({{{"id", "build"}, {"type", "build"}}});
  auto created = store_->create({.name = "ci", .nodes = nodes}, "alice");
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(created->type, "cicd");
  EXPECT_EQ(created->nodes, nodes);
  EXPECT_EQ(created->edges, Json::array());
  EXPECT_EQ(created->created_by, "alice");

  clock_.advance(std::chrono::seconds(5));
  auto updated = store_->update(created->id, {.description = "CI pipeline", .type = "security"});
  ASSERT_TRUE(updated.ok()) << updated.error().to_string();
  EXPECT_EQ(updated->name, "ci");
  EXPECT_EQ(updated->description, "CI pipeline");
  EXPECT_EQ(updated->type, "security");
  EXPECT_EQ(updated->nodes, nodes);
  EXPECT_GT(updated->updated_at, created->updated_at);

  ASSERT_TRUE(store_->remove(created->id).ok());
  EXPECT_TRUE(store_->find(created->id).error().is_not_found());
  EXPECT_TRUE(store_->remove(created->id).error().is_not_found());
}

TEST_F(FlowTemplateStoreTest, RejectsBadFields) {
  EXPECT_EQ(store_->create({}, "").error().field, "name");
  EXPECT_EQ(store_->create({.name = ""}, "").error().field, "name");
  EXPECT_EQ(store_->create({.name = "x", .type = "yaml"}, "").error().field, "type");
  EXPECT_EQ(store_->create({.name = "x", .nodes = Json::object()}, "").error().field, "nodes");
  EXPECT_EQ(store_->create({.name = "x", .edges = 3}, "").error().field, "edges");
  EXPECT_EQ(store_->create({.project_id = "no-such-project", .name = "x"}, "").error().field,
            "project_id");
  EXPECT_TRUE(store_->update("missing", {.name = "y"}).error().is_not_found());
}

TEST_F(FlowTemplateStoreTest, ListsNewestFirstWithFilterAndCursor) {
  for (int i = 0; i < 3; ++i) {
    clock_.advance(std::chrono::seconds(1));
    ASSERT_TRUE(
        store_->create({.name = "t" + std::to_string(i), .type = i == 1 ? "mlops" : "cicd"}, "")
            .ok());
  }
  auto first = store_->list({}, {.cursor = "", .limit = 2});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].name, "t2");
  ASSERT_TRUE(first->next_cursor);
  auto second = store_->list({}, {.cursor = *first->next_cursor, .limit = 2});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].name, "t0");
  EXPECT_FALSE(second->next_cursor);
  auto mlops = store_->list({.type = "mlops"}, {});
  ASSERT_TRUE(mlops.ok());
  ASSERT_EQ(mlops->items.size(), 1u);
  EXPECT_EQ(mlops->items[0].name, "t1");
}

}  // namespace
}  // namespace opz::store
