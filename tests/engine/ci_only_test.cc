#include "engine/ci_only.h"

#include <gtest/gtest.h>

#include "pipeline/pipeline_yaml.h"

namespace opz::engine {
namespace {

pipeline::Pipeline parse(const std::string& yaml) {
  auto p = pipeline::parse_pipeline_yaml(yaml);
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  return *p;
}

TEST(CiOnlyTest, DetectsTheFlag) {
  EXPECT_TRUE(is_ci_only(Json{{"ci_only", true}}));
  EXPECT_FALSE(is_ci_only(Json{{"ci_only", false}}));
  EXPECT_FALSE(is_ci_only(Json{{"ci_only", "true"}}));
  EXPECT_FALSE(is_ci_only(Json::object()));
  EXPECT_FALSE(is_ci_only(Json::array()));
}

TEST(CiOnlyTest, DropsDeployAndApprovalNodesAndEverythingThatNeedsThem) {
  auto p = parse(R"(name: app
nodes:
  build: {type: build, run: make}
  test: {type: test, needs: build, run: make test}
  scan: {type: scan, needs: build, run: make scan}
  approve: {type: approval, needs: test}
  deploy: {type: deploy, needs: approve, run: ./deploy.sh}
  notify: {type: notify, needs: deploy, run: echo done}
  report: {needs: [test, scan], run: echo report}
)");
  auto ci = ci_only_pipeline(p);
  ASSERT_TRUE(ci.ok()) << ci.error().to_string();
  std::vector<std::string> ids;
  for (const auto& n : ci->nodes) ids.push_back(n.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"build", "test", "scan", "report"}));
  EXPECT_EQ(ci->name, "app");
}

TEST(CiOnlyTest, NothingLeftIsAValidationError) {
  auto p = parse(R"(nodes:
  deploy: {type: deploy, run: ./deploy.sh}
  smoke: {needs: deploy, run: curl x}
)");
  auto ci = ci_only_pipeline(p);
  ASSERT_FALSE(ci.ok());
  EXPECT_EQ(ci.error().code, ErrorCode::kValidation);
}

}  // namespace
}  // namespace opz::engine
