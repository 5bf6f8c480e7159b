// PipelineTemplateStore over a migrated database: the starter templates of
// migration 014, filters, popularity order, create's checks, record_use.
#include "store/pipeline_template_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

class PipelineTemplateStoreTest : public MigratedDbTest {
 protected:
  PipelineTemplateStore store() { return PipelineTemplateStore(*db_, clock_); }
  std::vector<std::string> names(const PipelineTemplateFilter& f) {
    auto list = store().list(f);
    EXPECT_TRUE(list.ok()) << list.error().to_string();
    std::vector<std::string> out;
    if (list.ok())
      for (const auto& t : *list) out.push_back(t.name);
    return out;
  }
  PipelineTemplateRecord fresh(const std::string& name) {
    PipelineTemplateRecord t;
    t.name = name;
    t.category = "web";
    t.flow_type = "security";
    t.tags = Json::array({"scan"});
    t.nodes = Json::array({Json{{"id", "a"}, {"data", {{"run", "echo a"}}}}});
    return t;
  }
};

TEST_F(PipelineTemplateStoreTest, TheStartersAreThereMostPopularFirst) {
  auto list = store().list({});
  ASSERT_TRUE(list.ok()) << list.error().to_string();
  ASSERT_EQ(list->size(), 5u);
  EXPECT_EQ((*list)[0].id, "5eed7e00-0000-4000-8000-000000000001");
  EXPECT_EQ((*list)[0].flow_type, "cicd");
  EXPECT_EQ((*list)[0].popularity, 50);
  EXPECT_EQ((*list)[4].flow_type, "infrastructure");
  for (const auto& t : *list) {
    EXPECT_TRUE(t.nodes.is_array() && !t.nodes.empty()) << t.name;
    EXPECT_TRUE(t.edges.is_array() && !t.edges.empty()) << t.name;
  }
}

TEST_F(PipelineTemplateStoreTest, FiltersCombine) {
  ASSERT_TRUE(store().create(fresh("Scan only")).ok());
  EXPECT_EQ(names({.flow_type = "security"}),
            (std::vector<std::string>{"Container image with scan and staged promotion",
                                      "Scan only"}));
  EXPECT_EQ(names({.category = "web", .flow_type = "security"}),
            std::vector<std::string>{"Scan only"});
  EXPECT_EQ(names({.tag = "scan"}),
            (std::vector<std::string>{"Container image with scan and staged promotion",
                                      "Scan only"}));
  EXPECT_EQ(names({.category = "web", .tag = "scan"}), std::vector<std::string>{"Scan only"});
  // Name or description, any case.
  EXPECT_EQ(names({.text = "SCAN"}),
            (std::vector<std::string>{"Container image with scan and staged promotion",
                                      "Prompt evaluation and LLM app deploy", "Scan only"}));
  EXPECT_TRUE(names({.tag = "sca"}).empty());
}

TEST_F(PipelineTemplateStoreTest, CreateChecksItsFields) {
  auto t = fresh("");
  EXPECT_EQ(store().create(t).error().field, "name");
  t = fresh("x");
  t.flow_type = "devops";
  EXPECT_EQ(store().create(t).error().field, "flow_type");
  t = fresh("x");
  t.tags = Json::array({1});
  EXPECT_EQ(store().create(t).error().field, "tags");
  t = fresh("x");
  t.edges = Json::object();
  EXPECT_EQ(store().create(t).error().field, "edges");
  t = fresh("x");
  t.id = "5eed7e00-0000-4000-8000-000000000001";
  EXPECT_EQ(store().create(t).error().code, ErrorCode::kConflict);
}

TEST_F(PipelineTemplateStoreTest, RecordUseCountsOnlyTheTemplateUsed) {
  auto created = store().create(fresh("Mine"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->popularity, 0);
  auto used = store().record_use(created->id);
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(used->popularity, 1);
  EXPECT_EQ(used->updated_at, created->updated_at);
  EXPECT_EQ(store().find("5eed7e00-0000-4000-8000-000000000001")->popularity, 50);
  EXPECT_EQ(store().record_use("nope").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace opz::store
