#include "engine/checkpoint_state.h"

#include <gtest/gtest.h>

namespace opz::engine {
namespace {

TEST(CheckpointStateTest, SecretNames) {
  for (const char* name : {"API_TOKEN", "db_password", "AWS_SECRET_ACCESS_KEY", "SSH_KEY",
                           "GcpCredentials", "github_token"})
    EXPECT_TRUE(is_secret_name(name)) << name;
  for (const char* name : {"NODE_ENV", "API_URL", "REPLICAS", "PATH"})
    EXPECT_FALSE(is_secret_name(name)) << name;
}

TEST(CheckpointStateTest, BuildsTheSeedsShapeWithoutSecrets) {
  runner::OutputValues build_out = {{"image_tag", "v1"}};
  CheckpointInputs in;
  in.artifacts = {{"image", {{"image_tag", "v1"}, {"image_digest", "sha256:abc"}}}};
  in.environment = {{"NODE_ENV", "production"}, {"DEPLOY_TOKEN", "t0ps3cret"}};
  in.previous_nodes = {{"trigger", "success"}, {"build", "success"}};
  in.outputs = {{"build", &build_out}};
  in.commit_sha = "abc123";
  in.branch = "main";
  in.timestamp = "2024-01-15T10:30:00.000Z";
  Json state = build_checkpoint_state(in);
  EXPECT_EQ(state["artifacts"]["image"]["image_digest"], "sha256:abc");
  EXPECT_EQ(state["environment_variables"], (Json{{"NODE_ENV", "production"}}));
  EXPECT_EQ(state["previous_nodes"]["build"], "success");
  EXPECT_EQ(state["previous_nodes"].size(), 2u);
  EXPECT_EQ(state["outputs"]["build"]["image_tag"], "v1");
  EXPECT_EQ(state["metadata"]["commit_sha"], "abc123");
  EXPECT_EQ(state["metadata"]["branch"], "main");
  EXPECT_EQ(state["metadata"]["timestamp"], "2024-01-15T10:30:00.000Z");
  EXPECT_EQ(dump_json(state).find("t0ps3cret"), std::string::npos);

  auto back = read_checkpoint_state(state);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->previous_nodes.at("trigger"), "success");
  ASSERT_EQ(back->outputs.at("build").size(), 1u);
  EXPECT_EQ(back->outputs.at("build")[0].second, "v1");
}

TEST(CheckpointStateTest, ReadingABadStateIsAnError) {
  EXPECT_FALSE(read_checkpoint_state(Json::object()).ok());
  EXPECT_FALSE(read_checkpoint_state(Json{{"previous_nodes", "x"}}).ok());
  EXPECT_FALSE(read_checkpoint_state(Json::array()).ok());
  auto minimal = read_checkpoint_state(Json{{"previous_nodes", Json::object()}});
  ASSERT_TRUE(minimal.ok());
  EXPECT_TRUE(minimal->outputs.empty());
}

}  // namespace
}  // namespace opz::engine
