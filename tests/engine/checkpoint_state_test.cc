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
  FinishedNodes finished;
  finished.add("trigger", "success", {});
  finished.add("build", "success", {{"image_tag", "v1"}});
  CheckpointInputs in;
  in.artifacts = {{"image", {{"image_tag", "v1"}, {"image_digest", "sha256:abc"}}}};
  in.environment = {{"NODE_ENV", "production"}, {"DEPLOY_TOKEN", "t0ps3cret"}};
  in.finished = &finished;
  in.commit_sha = "abc123";
  in.branch = "main";
  in.timestamp = "2024-01-15T10:30:00.000Z";
  const std::string text = checkpoint_state_text(in);
  EXPECT_EQ(text.find("t0ps3cret"), std::string::npos);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  auto state = parse_json(text);
  ASSERT_TRUE(state.ok()) << text;
  EXPECT_EQ((*state)["artifacts"]["image"]["image_digest"], "sha256:abc");
  EXPECT_EQ((*state)["environment_variables"], (Json{{"NODE_ENV", "production"}}));
  EXPECT_EQ((*state)["previous_nodes"], (Json{{"trigger", "success"}, {"build", "success"}}));
  EXPECT_EQ((*state)["outputs"], (Json{{"build", {{"image_tag", "v1"}}}}));
  EXPECT_EQ((*state)["metadata"]["commit_sha"], "abc123");
  EXPECT_EQ((*state)["metadata"]["branch"], "main");
  EXPECT_EQ((*state)["metadata"]["timestamp"], "2024-01-15T10:30:00.000Z");

  auto back = read_checkpoint_state(*state);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->previous_nodes.at("trigger"), "success");
  ASSERT_EQ(back->outputs.at("build").size(), 1u);
  EXPECT_EQ(back->outputs.at("build")[0].second, "v1");
}

TEST(CheckpointStateTest, NoFinishedNodesIsEmptyObjects) {
  CheckpointInputs in;
  in.artifacts = Json::array();  // not an object: written as {}
  auto state = parse_json(checkpoint_state_text(in));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ((*state)["artifacts"], Json::object());
  EXPECT_EQ((*state)["previous_nodes"], Json::object());
  EXPECT_EQ((*state)["outputs"], Json::object());
}

// Node ids, statuses and output values are written as JSON strings whatever
// they hold: quotes, backslashes, control characters, invalid UTF-8.
TEST(CheckpointStateTest, NamesAndValuesAreEscaped) {
  FinishedNodes finished;
  finished.add("a\"b\\c", "success", {{"line", "x\ny\t\"z\""}, {"bytes", "ok \xff\xfe"}});
  finished.add("second", "failed", {});
  CheckpointInputs in;
  in.finished = &finished;
  const std::string text = checkpoint_state_text(in);
  auto state = parse_json(text);
  ASSERT_TRUE(state.ok()) << text;
  EXPECT_EQ((*state)["previous_nodes"]["a\"b\\c"], "success");
  EXPECT_EQ((*state)["previous_nodes"]["second"], "failed");
  EXPECT_EQ((*state)["outputs"]["a\"b\\c"]["line"], "x\ny\t\"z\"");
  EXPECT_EQ((*state)["outputs"]["a\"b\\c"]["bytes"], "ok \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_FALSE((*state)["outputs"].contains("second"));
  EXPECT_EQ(finished.size(), 2u);
}

// A checkpoint lists every node final so far: each later one extends the
// earlier one's lists, in the order the nodes became final.
TEST(CheckpointStateTest, EachCheckpointListsEveryNodeFinishedSoFar) {
  FinishedNodes finished;
  CheckpointInputs in;
  in.finished = &finished;
  finished.add("n1", "success", {{"k", "1"}});
  auto first = parse_json(checkpoint_state_text(in));
  finished.add("n0", "skipped", {});
  finished.add("n2", "success", {{"k", "2"}});
  auto second = parse_json(checkpoint_state_text(in));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)["previous_nodes"], (Json{{"n1", "success"}}));
  EXPECT_EQ((*second)["previous_nodes"],
            (Json{{"n1", "success"}, {"n0", "skipped"}, {"n2", "success"}}));
  EXPECT_EQ((*second)["outputs"], (Json{{"n1", {{"k", "1"}}}, {"n2", {{"k", "2"}}}}));
  EXPECT_EQ(finished.previous_nodes(), R"("n1":"success","n0":"skipped","n2":"success")");
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
