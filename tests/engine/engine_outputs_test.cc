// Outputs passed downstream, artifacts, checkpoints and reruns.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "engine_fixture.h"

namespace opz::engine {
namespace {

// A rerun as the API asks for one (no governance fields).
RerunRequest rerun_request(std::string checkpoint_id, bool failed_only) {
  RerunRequest r;
  r.checkpoint_id = std::move(checkpoint_id);
  r.failed_only = failed_only;
  return r;
}

class EngineOutputsTest : public EngineFixture {
 protected:
  std::string read(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
};

TEST_F(EngineOutputsTest, OutputsReachDependentsInBothForms) {
  start_engine();
  std::string id = submit(R"(
nodes:
  build-app:
    run: |
      echo "version=1.2.3" >> "$OPZENIX_OUTPUT"
      echo "note<<END" >> "$OPZENIX_OUTPUT"
      echo "multi" >> "$OPZENIX_OUTPUT"
      echo "line" >> "$OPZENIX_OUTPUT"
      echo "END" >> "$OPZENIX_OUTPUT"
  deploy:
    needs: build-app
    run: 'echo "plain=$version prefixed=$OPZENIX_OUT_BUILD_APP_VERSION"; printf "%s|" "$OPZENIX_OUT_BUILD_APP_NOTE"'
  unrelated:
    run: 'echo "version=[$version]"'
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto build = node(id, "build-app");
  EXPECT_EQ(build.outputs["version"], "1.2.3");
  EXPECT_EQ(build.outputs["note"], "multi\nline");
  EXPECT_EQ(log_messages(id, "deploy", "stdout"),
            (std::vector<std::string>{"plain=1.2.3 prefixed=1.2.3", "multi", "line|"}));
  EXPECT_EQ(log_messages(id, "unrelated", "stdout"), std::vector<std::string>{"version=[]"});
}

// Outputs travel down every path, not only one hop: deploy needs scan, which
// needs test, which needs build. When two ancestors publish one key the
// nearer one wins; the prefixed form keeps both.
TEST_F(EngineOutputsTest, OutputsReachEveryTransitiveDependentAndTheNearerProducerWins) {
  start_engine();
  std::string id = submit(R"(
nodes:
  build:
    run: |
      echo "image_tag=abc123" >> "$OPZENIX_OUTPUT"
      echo "version=1.0" >> "$OPZENIX_OUTPUT"
  test:
    needs: build
    run: 'echo "version=1.0-tested" >> "$OPZENIX_OUTPUT"'
  scan:
    needs: test
    run: 'true'
  deploy:
    needs: scan
    run: 'echo "tag=$image_tag version=$version build=$OPZENIX_OUT_BUILD_VERSION test=$OPZENIX_OUT_TEST_VERSION"'
  sibling:
    needs: build
    run: 'echo "version=$version tested=[$OPZENIX_OUT_TEST_VERSION]"'
)");
  ASSERT_EQ(wait_finished(id), "success");
  EXPECT_EQ(log_messages(id, "deploy", "stdout"),
            std::vector<std::string>{"tag=abc123 version=1.0-tested build=1.0 test=1.0-tested"});
  // sibling is not downstream of test: it sees build's value only.
  EXPECT_EQ(log_messages(id, "sibling", "stdout"),
            std::vector<std::string>{"version=1.0 tested=[]"});
}

TEST_F(EngineOutputsTest, MalformedOutputFileFailsTheNode) {
  start_engine();
  std::string id = submit(R"(
nodes:
  bad: {run: 'echo "no equals sign" >> "$OPZENIX_OUTPUT"'}
)");
  ASSERT_EQ(wait_finished(id), "failed");
  EXPECT_NE(node(id, "bad").error.find("output file line 1"), std::string::npos)
      << node(id, "bad").error;
}

TEST_F(EngineOutputsTest, ArtifactsAreRegistered) {
  start_engine();
  std::string id = submit(R"(
nodes:
  build:
    type: build
    run: |
      echo "artifact.image=registry.example.com/web:v1@sha256:abc" >> "$OPZENIX_OUTPUT"
      echo "artifact.cli.type=binary" >> "$OPZENIX_OUTPUT"
      echo "artifact.cli.size_bytes=1024" >> "$OPZENIX_OUTPUT"
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto artifacts = history_->artifacts(id);
  ASSERT_TRUE(artifacts.ok());
  ASSERT_EQ(artifacts->size(), 2u);
  EXPECT_EQ((*artifacts)[0].name, "image");
  EXPECT_EQ((*artifacts)[0].node_id, "build");
  EXPECT_EQ((*artifacts)[0].registry_url, "registry.example.com/web");
  EXPECT_EQ((*artifacts)[0].image_tag, "v1");
  EXPECT_EQ((*artifacts)[0].image_digest, "sha256:abc");
  EXPECT_EQ((*artifacts)[1].name, "cli");
  EXPECT_EQ((*artifacts)[1].type, "binary");
  EXPECT_EQ((*artifacts)[1].size_bytes, 1024);
  int artifact_events = 0;
  for (const auto& e : events_through_finish(id))
    if (e->kind == EventKind::kArtifact && e->execution_id == id) ++artifact_events;
  EXPECT_EQ(artifact_events, 2);
}

TEST_F(EngineOutputsTest, CheckpointsHaveTheSeedsShapeWithoutSecrets) {
  start_engine();
  std::string id = submit(R"(
env: {NODE_ENV: production, DEPLOY_TOKEN: t0ps3cret}
nodes:
  trigger: {type: trigger}
  build:
    type: build
    needs: trigger
    env: {API_URL: "https://api.example.com", DB_PASSWORD: hunter2}
    run: |
      echo "image_tag=v1.2.3" >> "$OPZENIX_OUTPUT"
      echo "artifact.image.image_digest=sha256:abc123" >> "$OPZENIX_OUTPUT"
  notify: {type: notify, needs: build}
)");
  ASSERT_EQ(wait_finished(id), "success");
  auto checkpoints = history_->checkpoints(id);
  ASSERT_TRUE(checkpoints.ok());
  ASSERT_EQ(checkpoints->size(), 1u);  // build checkpoints by default; trigger/notify do not
  const auto& c = (*checkpoints)[0];
  EXPECT_EQ(c.name, "post-build-checkpoint");
  EXPECT_EQ(c.node_id, "build");
  EXPECT_EQ(c.state["artifacts"]["image"]["image_digest"], "sha256:abc123");
  EXPECT_EQ(c.state["environment_variables"],
            (Json{{"NODE_ENV", "production"}, {"API_URL", "https://api.example.com"}}));
  EXPECT_EQ(c.state["previous_nodes"], (Json{{"trigger", "success"}, {"build", "success"}}));
  EXPECT_EQ(c.state["outputs"]["build"]["image_tag"], "v1.2.3");
  EXPECT_EQ(c.state["metadata"]["commit_sha"], "0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(c.state["metadata"]["branch"], "main");
  EXPECT_FALSE(c.state["metadata"]["timestamp"].get<std::string>().empty());
  const std::string text = dump_json(c.state);
  EXPECT_EQ(text.find("t0ps3cret"), std::string::npos);
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
}

// a -> b (checkpoint) -> c; c fails until a marker file exists.
std::string rerun_pipeline(const std::string& dir) {
  return "nodes:\n"
         "  a: {run: 'echo a >> " +
         dir +
         "/ran; echo from_a=A >> $OPZENIX_OUTPUT'}\n"
         "  b:\n"
         "    needs: a\n"
         "    checkpoint: true\n"
         "    run: 'echo b >> " +
         dir +
         "/ran; echo from_b=B$from_a >> $OPZENIX_OUTPUT'\n"
         "  c: {needs: b, run: 'echo c >> " +
         dir + "/ran; echo \"c sees $from_b\"; test -f " + dir +
         "/fixed'}\n"
         "  d: {needs: c, run: 'echo d >> " +
         dir + "/ran'}\n";
}

TEST_F(EngineOutputsTest, RerunFromCheckpointRestoresOutputsAndRunsOnlyTheRest) {
  start_engine();
  std::string first = submit(rerun_pipeline(dir_.str()));
  ASSERT_EQ(wait_finished(first), "failed");
  EXPECT_EQ(read(dir_.str() + "/ran"), "a\nb\nc\n");
  auto checkpoints = history_->checkpoints(first);
  ASSERT_TRUE(checkpoints.ok());
  ASSERT_EQ(checkpoints->size(), 1u);

  std::ofstream(dir_.str() + "/fixed") << "1";
  std::remove((dir_.str() + "/ran").c_str());
  auto rerun =
      engine_->rerun(first, rerun_request((*checkpoints)[0].id, false), "bob");
  ASSERT_TRUE(rerun.ok()) << rerun.error().to_string();
  EXPECT_EQ(rerun->trigger_type, "rerun");
  EXPECT_EQ(rerun->parent_execution_id, first);
  EXPECT_EQ(rerun->rerun_checkpoint_id, (*checkpoints)[0].id);
  EXPECT_EQ(rerun->started_by, "bob");
  ASSERT_EQ(wait_finished(rerun->id), "success");
  EXPECT_EQ(read(dir_.str() + "/ran"), "c\nd\n");
  EXPECT_EQ(node(rerun->id, "b").outputs["from_b"], "BA");
  EXPECT_EQ(node(rerun->id, "b").logs, "restored from execution " + first);
  EXPECT_EQ(log_messages(rerun->id, "c", "stdout"), std::vector<std::string>{"c sees BA"});
}

TEST_F(EngineOutputsTest, FailedOnlyRerunKeepsSuccessesAndRunsTheRest) {
  start_engine();
  std::string first = submit(rerun_pipeline(dir_.str()) + "  side: {run: 'exit 1'}\n");
  ASSERT_EQ(wait_finished(first), "failed");
  std::ofstream(dir_.str() + "/fixed") << "1";
  std::remove((dir_.str() + "/ran").c_str());
  auto rerun = engine_->rerun(first, rerun_request("", true), "bob");
  ASSERT_TRUE(rerun.ok()) << rerun.error().to_string();
  ASSERT_EQ(wait_finished(rerun->id), "failed");  // `side` still fails
  EXPECT_EQ(read(dir_.str() + "/ran"), "c\nd\n");
  EXPECT_EQ(node(rerun->id, "a").status, "success");
  EXPECT_EQ(node(rerun->id, "c").status, "success");
  EXPECT_EQ(node(rerun->id, "d").status, "success");
  EXPECT_EQ(node(rerun->id, "side").status, "failed");
  EXPECT_EQ(node(rerun->id, "side").attempt, 1);
}

TEST_F(EngineOutputsTest, RerunRefusesWhatItCannotRerun) {
  start_engine();
  std::string running = submit("nodes:\n  s: {run: 'sleep 30'}\n");
  ASSERT_TRUE(wait_node(running, "s", "running"));
  EXPECT_TRUE(engine_->rerun(running, {}, "bob").error().is_conflict());
  EXPECT_TRUE(engine_->rerun("no-such-id", {}, "bob").error().is_not_found());
  ASSERT_TRUE(engine_->cancel(running, "", "bob").ok());
  ASSERT_EQ(wait_finished(running), "cancelled");
  EXPECT_TRUE(engine_->rerun(running, rerun_request("missing", false), "bob")
                  .error()
                  .is_not_found());
  std::string other = submit("nodes:\n  x: {type: build, run: 'true'}\n");
  ASSERT_EQ(wait_finished(other), "success");
  auto cps = history_->checkpoints(other);
  ASSERT_TRUE(cps.ok());
  ASSERT_EQ(cps->size(), 1u);
  auto wrong = engine_->rerun(running, rerun_request((*cps)[0].id, false), "b");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "checkpoint_id");
}

}  // namespace
}  // namespace opz::engine
