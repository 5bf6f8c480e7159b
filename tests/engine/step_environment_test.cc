#include "engine/step_environment.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace opz::engine {
namespace {

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

bool has(const std::vector<std::string>& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

bool has_key(const std::vector<std::string>& env, const std::string& key) {
  return std::any_of(env.begin(), env.end(),
                     [&](const std::string& e) { return e.rfind(key + "=", 0) == 0; });
}

TEST(StepEnvironmentTest, BaseTakesOnlyTheFourServerVariables) {
  auto base = base_environment(fake_env({{"PATH", "/bin"},
                                         {"HOME", "/home/op"},
                                         {"AWS_SECRET_ACCESS_KEY", "hunter2"},
                                         {"OPZENIX_DATABASE_URL", "postgres://x"}}));
  EXPECT_EQ(base.size(), 2u);
  EXPECT_EQ(base["PATH"], "/bin");
  EXPECT_EQ(base.count("AWS_SECRET_ACCESS_KEY"), 0u);
  EXPECT_EQ(base.count("LANG"), 0u);
}

TEST(StepEnvironmentTest, PrecedenceAndSystemVariables) {
  StepEnvironment env({{"PATH", "/bin"}, {"HOME", "/h"}},
                      {{"SHARED", "pipeline"}, {"ONLY_PIPELINE", "p"}});
  pipeline::Node node;
  node.id = "deploy";
  node.env = {{"SHARED", "node"}, {"OPZENIX_NODE_ID", "spoofed"}};
  std::string up_id = "build-app";
  runner::OutputValues outputs = {{"version", "1.2"},
                                  {"PATH", "/evil"},
                                  {"artifact.image", "reg/app:1"},
                                  {"SHARED", "from-build"}};
  StepFacts facts{"exec-1", "deploy", 2, "main", "v1", "abc", "Staging", "/out/f", "/ws"};
  auto out = env.build(node, facts, {{&up_id, &outputs}});
  EXPECT_TRUE(std::is_sorted(out.begin(), out.end()));
  EXPECT_TRUE(has(out, "PATH=/bin"));  // outputs never replace the base
  EXPECT_TRUE(has(out, "ONLY_PIPELINE=p"));
  EXPECT_TRUE(has(out, "SHARED=from-build"));  // outputs come after node env
  EXPECT_TRUE(has(out, "version=1.2"));
  EXPECT_TRUE(has(out, "OPZENIX_OUT_BUILD_APP_VERSION=1.2"));
  EXPECT_TRUE(has(out, "OPZENIX_OUT_BUILD_APP_ARTIFACT_IMAGE=reg/app:1"));
  EXPECT_TRUE(has(out, "OPZENIX_OUT_BUILD_APP_PATH=/evil"));
  EXPECT_FALSE(has_key(out, "artifact.image"));     // not a variable name
  EXPECT_TRUE(has(out, "OPZENIX_NODE_ID=deploy"));  // system variables win
  EXPECT_TRUE(has(out, "OPZENIX_EXECUTION_ID=exec-1"));
  EXPECT_TRUE(has(out, "OPZENIX_ATTEMPT=2"));
  EXPECT_TRUE(has(out, "OPZENIX_BRANCH=main"));
  EXPECT_TRUE(has(out, "OPZENIX_TAG=v1"));
  EXPECT_TRUE(has(out, "OPZENIX_COMMIT_SHA=abc"));
  EXPECT_TRUE(has(out, "OPZENIX_ENVIRONMENT=Staging"));
  EXPECT_TRUE(has(out, "OPZENIX_OUTPUT=/out/f"));
  EXPECT_TRUE(has(out, "OPZENIX_WORKSPACE=/ws"));
}

TEST(StepEnvironmentTest, LaterUpstreamWins) {
  StepEnvironment env({}, {});
  pipeline::Node node;
  std::string a = "a", b = "b";
  runner::OutputValues from_a = {{"v", "1"}}, from_b = {{"v", "2"}};
  auto out = env.build(node, {}, {{&a, &from_a}, {&b, &from_b}});
  EXPECT_TRUE(has(out, "v=2"));
  EXPECT_TRUE(has(out, "OPZENIX_OUT_A_V=1"));
  EXPECT_TRUE(has(out, "OPZENIX_OUT_B_V=2"));
}

}  // namespace
}  // namespace opz::engine
