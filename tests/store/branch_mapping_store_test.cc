#include "store/branch_mapping_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "store/project_store.h"
#include "migrated_db_test.h"

namespace opz::store {
namespace {

class BranchMappingStoreTest : public MigratedDbTest {
 protected:
  void SetUp() override {
    MigratedDbTest::SetUp();
    store_ = std::make_unique<BranchMappingStore>(*db_, clock_);
    project_ = create_project();
  }
  static BranchMappingRecord rule(const std::string& pattern, const std::string& env,
                                  const std::string& type = "branch") {
    BranchMappingRecord r;
    r.branch_pattern = pattern;
    r.ref_type = type;
    r.environment = env;
    r.image_tag_template = "{sha7}";
    r.replicas = 2;
    return r;
  }

  std::unique_ptr<BranchMappingStore> store_;
  std::string project_;
};

TEST_F(BranchMappingStoreTest, SeededGlobalDefaultsApplyUntilAProjectHasItsOwn) {
  auto global = store_->rules_for(project_);
  ASSERT_TRUE(global.ok()) << global.error().to_string();
  EXPECT_EQ(global->source, "global");
  ASSERT_EQ(global->rules.size(), 7u);
  EXPECT_EQ(global->rules[0].branch_pattern, "main");
  EXPECT_EQ(global->rules[0].environment, "Production");
  EXPECT_EQ(global->rules[5].branch_pattern, "feature/*");
  EXPECT_FALSE(global->rules[5].is_deployable);
  EXPECT_EQ(global->rules[6].ref_type, "tag");

  auto replaced =
      store_->replace(project_, {rule("release/*", "PreProd"), rule("v*", "Production", "tag")});
  ASSERT_TRUE(replaced.ok()) << replaced.error().to_string();
  ASSERT_EQ(replaced->rules.size(), 2u);
  EXPECT_EQ(replaced->rules[0].position, 1);
  EXPECT_EQ(replaced->rules[1].position, 2);
  EXPECT_EQ(replaced->rules[1].ref_type, "tag");
  EXPECT_TRUE(replaced->created_environments.empty());
  auto own = store_->rules_for(project_);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->source, "project");
  ASSERT_EQ(own->rules.size(), 2u);
  EXPECT_EQ(own->rules[0].branch_pattern, "release/*");
  EXPECT_EQ(own->rules[0].replicas, 2);
  EXPECT_EQ(store_->global_rules()->size(), 7u) << "the defaults are untouched";

  EXPECT_EQ(*store_->clear(project_), 2);
  EXPECT_EQ(store_->rules_for(project_)->source, "global");
}

TEST_F(BranchMappingStoreTest, UnknownEnvironmentsAreRefusedOrCreatedForPresets) {
  auto refused = store_->replace(project_, {rule("develop", "dev")});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_EQ(refused.error().field, "rules[0].environment");
  EXPECT_NE(refused.error().message.find("Production"), std::string::npos);
  EXPECT_EQ(store_->rules_for(project_)->source, "global") << "nothing was written";

  auto created = store_->replace(
      project_, {rule("develop", "dev"), rule("main", "staging"), rule("v*", "dev", "tag")}, true);
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(created->created_environments, (std::vector<std::string>{"dev", "staging"}));
  auto again = store_->replace(project_, {rule("develop", "dev")}, true);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->created_environments.empty());
}

TEST_F(BranchMappingStoreTest, UnknownProjectAndDuplicatePatterns) {
  EXPECT_EQ(store_->replace("00000000-0000-4000-8000-000000000000", {rule("main", "Staging")})
                .error()
                .code,
            ErrorCode::kNotFound);
  auto dup = store_->replace(project_, {rule("main", "Staging"), rule("main", "Production")});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(store_->rules_for(project_)->source, "global");
}

}  // namespace
}  // namespace opz::store
