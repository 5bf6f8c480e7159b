// Registry push notifications: Docker Registry v2 envelopes and GHCR package
// events read into pushes, ignored reasons and errors naming the field. The
// bodies are the fuzz corpus's (fuzz/corpus/registry_event_fuzz/).
#include "github/registry_event.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace opz::github {
namespace {

std::string corpus(const std::string& name) {
  // __FILE__ is this file's path as the compiler was given it.
  const auto dir = std::filesystem::path(__FILE__).parent_path() / "../../fuzz/corpus";
  std::ifstream in(dir / "registry_event_fuzz" / name);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const std::string kDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::string docker_event(const std::string& target, const std::string& action = "push") {
  return R"({"events":[{"action":")" + action + R"(","target":)" + target + "}]}";
}

TEST(RegistryEvent, DockerPushFromTheDocsShape) {
  auto n = parse_docker_notification(corpus("docker_push"));
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_EQ(n->pushes.size(), 1u);
  EXPECT_TRUE(n->ignored.empty());
  const RegistryPush& p = n->pushes[0];
  EXPECT_EQ(p.repository, "library/test");
  EXPECT_EQ(p.digest, "sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf");
  EXPECT_EQ(p.tag, "latest");
  EXPECT_EQ(p.registry_url, "https://example.com");
  EXPECT_EQ(p.size_bytes, 1);
  EXPECT_EQ(p.revision, "");
  EXPECT_EQ(p.metadata["event_id"], "asdf-asdf-asdf-asdf-0");
  EXPECT_EQ(p.metadata["pushed_by"], "test-actor");
  EXPECT_EQ(p.metadata["registry_instance"], "a53db899-3b4b-4a62-a067-8dd013beaca4");
}

TEST(RegistryEvent, PullsAndBlobPushesAreIgnoredWithAReason) {
  auto n = parse_docker_notification(corpus("docker_pull_and_blob"));
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_TRUE(n->pushes.empty());
  ASSERT_EQ(n->ignored.size(), 2u);
  EXPECT_EQ(n->ignored[0], "events[0]: action 'pull' is not a push");
  EXPECT_NE(n->ignored[1].find("events[1]: a blob (application/octet-stream)"), std::string::npos);
}

TEST(RegistryEvent, BadShapesNameTheField) {
  struct Case {
    std::string body, field;
  };
  const std::vector<Case> cases = {
      {corpus("docker_bad_digest"), "events[0].target.digest"},
      {corpus("events_not_array"), "events"},
      {"{}", "events"},
      {"[]", "body"},
      {R"({"events":[1]})", "events[0]"},
      {docker_event("{}"), "events[0].target.repository"},
      {docker_event(R"({"repository":"App","digest":")" + kDigest + R"("})"),
       "events[0].target.repository"},
      {docker_event(R"({"repository":"a//b","digest":")" + kDigest + R"("})"),
       "events[0].target.repository"},
      {docker_event(R"({"repository":"a","digest":")" + kDigest + R"(","tag":".x"})"),
       "events[0].target.tag"},
      {docker_event(R"({"repository":"a","digest":")" + kDigest + R"(","size":-1})"),
       "events[0].target.size"},
      {docker_event(R"({"repository":"a","digest":"SHA256:)" + kDigest.substr(7) + R"("})"),
       "events[0].target.digest"},
      {R"({"events":[{"target":{}}]})", "events[0].action"},
      {R"({"events":[{"action":"push"}]})", "events[0].target"},
  };
  for (const Case& c : cases) {
    auto n = parse_docker_notification(c.body);
    ASSERT_FALSE(n) << c.body;
    EXPECT_EQ(n.error().code, ErrorCode::kValidation) << c.body;
    EXPECT_EQ(n.error().field, c.field) << c.body << ": " << n.error().message;
  }
  auto garbage = parse_docker_notification(corpus("not_json"));
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kMalformed);
}

TEST(RegistryEvent, RepositoryNamesFollowTheDistributionSpec) {
  for (const std::string ok : {"a", "library/app", "a.b_c__d---e/f", "x1/y2/z3"}) {
    auto n = parse_docker_notification(docker_event(R"({"repository":")" + ok +
                                                    R"(","digest":")" + kDigest + R"("})"));
    EXPECT_TRUE(n) << ok;
  }
  for (const std::string bad : {"", "-a", "a-", "a/", "/a", "a..b", "a___b", "a_-b", "A"}) {
    auto n = parse_docker_notification(docker_event(R"({"repository":")" + bad +
                                                    R"(","digest":")" + kDigest + R"("})"));
    EXPECT_FALSE(n) << bad;
  }
}

TEST(RegistryEvent, GhcrPublishedPackage) {
  auto e = parse_ghcr_package_event(corpus("ghcr_published"));
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->repository_full_name, "octo-org/hello-world");
  ASSERT_EQ(e->notification.pushes.size(), 1u);
  const RegistryPush& p = e->notification.pushes[0];
  EXPECT_EQ(p.repository, "octo-org/hello_docker");
  EXPECT_EQ(p.digest, kDigest);
  EXPECT_EQ(p.tag, "v1.2.0");
  EXPECT_EQ(p.registry_url, "https://ghcr.io");
  EXPECT_EQ(p.revision, "4f0b6c4c3a7b7a2b3e7b0e0d0f0a0b0c0d0e0f10");
  EXPECT_EQ(p.metadata["package_url"], "ghcr.io/octo-org/hello_docker:v1.2.0");
}

TEST(RegistryEvent, GhcrOtherActionsAndTypesAreIgnored) {
  auto updated = parse_ghcr_package_event(corpus("ghcr_updated"));
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_TRUE(updated->notification.pushes.empty());
  EXPECT_EQ(updated->notification.ignored, std::vector<std::string>{"action 'updated' is not a publish"});
  auto npm = parse_ghcr_package_event(
      R"({"action":"published","package":{"name":"lib","package_type":"npm"},"repository":{"full_name":"o/r"}})");
  ASSERT_TRUE(npm);
  EXPECT_EQ(npm->notification.ignored,
            std::vector<std::string>{"package type 'npm' is not a container image"});
  auto no_digest = parse_ghcr_package_event(
      R"({"action":"published","package":{"name":"app","package_type":"container","package_version":{"container_metadata":{"tag":{"name":"v1"}}}},"repository":{"full_name":"o/r"}})");
  ASSERT_FALSE(no_digest);
  EXPECT_EQ(no_digest.error().field, "package.package_version.container_metadata.tag.digest");
  auto no_repo = parse_ghcr_package_event(R"({"action":"published"})");
  ASSERT_FALSE(no_repo);
  EXPECT_EQ(no_repo.error().field, "repository");
}

TEST(RegistryEvent, RevisionsFromTagsAndLabels) {
  EXPECT_EQ(revision_from("sha-4F0B6C4"), "4f0b6c4");
  EXPECT_EQ(revision_from("4f0b6c4c3a7b7a2b3e7b0e0d0f0a0b0c0d0e0f10"),
            "4f0b6c4c3a7b7a2b3e7b0e0d0f0a0b0c0d0e0f10");
  EXPECT_EQ(revision_from("latest"), "");
  EXPECT_EQ(revision_from("abc12"), "");
  EXPECT_EQ(revision_from("deadbeef-x"), "");
}

}  // namespace
}  // namespace opz::github
