// deploy_facts(): which version, commit, image tag and replicas a deploy node
// attempt deploys, from the node, the execution's refs and its metadata.
#include "engine/deploy_facts.h"

#include <gtest/gtest.h>

namespace opz::engine {
namespace {

ExternalNodeRequest request() {
  ExternalNodeRequest r;
  r.execution_id = "0123456789abcdef";
  r.node_id = "deploy";
  r.branch = "main";
  r.commit_sha = "abcdef0123456789abcdef0123456789abcdef01";
  r.metadata = Json::object();
  r.node.id = "deploy";
  r.node.type = pipeline::NodeType::kDeploy;
  r.node.deploy = pipeline::DeploySpec{};
  return r;
}

TEST(DeployFactsTest, TheBranchMappingsImageTagIsTheVersionByDefault) {
  ExternalNodeRequest r = request();
  r.metadata["image_tag"] = "staging-abcdef0";
  r.metadata["replicas"] = 3;
  auto f = deploy_facts(r);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->version, "staging-abcdef0");
  EXPECT_EQ(f->image_tag, "staging-abcdef0");
  EXPECT_EQ(f->replicas, 3);
  EXPECT_EQ(f->commit_sha, r.commit_sha);
  EXPECT_EQ(f->kind, "deploy");
  EXPECT_TRUE(f->deployment_id.empty());
}

TEST(DeployFactsTest, AnApiStartRendersTheMappingsTemplateOnceTheCommitIsKnown) {
  ExternalNodeRequest r = request();
  r.metadata["image_tag_template"] = "prod-{sha7}";
  auto f = deploy_facts(r);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->version, "prod-abcdef0");
  EXPECT_EQ(f->image_tag, "prod-abcdef0");
  // Without a commit the template cannot render: the next fallback applies.
  r.commit_sha.clear();
  r.tag = "v9";
  EXPECT_EQ(deploy_facts(r)->version, "v9");
}

TEST(DeployFactsTest, TheNodesVersionTemplateWinsOverTheImageTag) {
  ExternalNodeRequest r = request();
  r.metadata["image_tag"] = "staging-abcdef0";
  r.node.deploy->version = "{branch}-{sha7}";
  auto f = deploy_facts(r);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->version, "main-abcdef0");
  EXPECT_EQ(f->image_tag, "staging-abcdef0");
}

TEST(DeployFactsTest, ATemplateThatCannotRenderNamesTheVersionField) {
  ExternalNodeRequest r = request();
  r.node.deploy->version = "{tag}";  // a branch has no tag
  auto f = deploy_facts(r);
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().field, "version");
  EXPECT_NE(f.error().message.find("deploy node 'deploy'"), std::string::npos);
}

TEST(DeployFactsTest, FallsBackToTheTagThenTheShortShaThenTheExecution) {
  ExternalNodeRequest r = request();
  r.tag = "v1.2.3";
  EXPECT_EQ(deploy_facts(r)->version, "v1.2.3");
  r.tag.clear();
  EXPECT_EQ(deploy_facts(r)->version, "abcdef0");
  r.commit_sha.clear();
  EXPECT_EQ(deploy_facts(r)->version, "exec-01234567");
  EXPECT_EQ(deploy_facts(r)->replicas, 1);
}

TEST(DeployFactsTest, ARollbackDeploysTheTargetsVersionCommitAndArtifact) {
  ExternalNodeRequest r = request();
  r.metadata["image_tag"] = "ignored";
  r.metadata["deployment"] = {{"id", "dep-9"},         {"kind", "rollback"},
                              {"rollback_of", "dep-1"}, {"version", "v1.0.0"},
                              {"commit_sha", "1111111"}, {"image_tag", "img-1"},
                              {"artifact_id", "art-1"},  {"reason", "latency"}};
  auto f = deploy_facts(r);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->deployment_id, "dep-9");
  EXPECT_EQ(f->kind, "rollback");
  EXPECT_EQ(f->rollback_of, "dep-1");
  EXPECT_EQ(f->version, "v1.0.0");
  EXPECT_EQ(f->commit_sha, "1111111");
  EXPECT_EQ(f->image_tag, "img-1");
  EXPECT_EQ(f->artifact_id, "art-1");
  EXPECT_EQ(f->reason, "latency");
}

TEST(DeployFactsTest, ReplicasOutsideOneToAThousandAreIgnored) {
  ExternalNodeRequest r = request();
  r.metadata["replicas"] = 0;
  EXPECT_EQ(deploy_facts(r)->replicas, 1);
  r.metadata["replicas"] = 5000;
  EXPECT_EQ(deploy_facts(r)->replicas, 1);
}

}  // namespace
}  // namespace opz::engine
