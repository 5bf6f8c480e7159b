// POST /functions/v1/artifact-webhook through the real server (issue 12): a
// Docker Registry v2 notification (the docs' envelope, Content-Type
// application/vnd.docker.distribution.events.v1+json) authenticated by a
// registry connection's secret, and a GHCR `package` event signed with the
// project's GitHub webhook secret, register artifacts once each; pulls are
// ignored (202), bad tokens and signatures are 401, bad shapes 422 naming the
// field; GET /api/v1/projects/{id}/artifacts lists them; audit rows
// artifact.registered.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "integration/webhook_test_support.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace opz::testing {
namespace {

using nlohmann::json;

std::string corpus(const std::string& name) {
  std::ifstream in(std::string(OPZENIX_SOURCE_DIR) + "/fuzz/corpus/registry_event_fuzz/" + name);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const std::string kDockerType =
    "Content-Type: application/vnd.docker.distribution.events.v1+json";

class ArtifactWebhook : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.set_token(server_.create_user_and_login("admin@example.com", "admin"));
    auto project = api_.post("/api/v1/projects", json{{"name", "registry-app"}});
    ASSERT_EQ(project.status, 201) << project.body;
    pid_ = project.json()["id"];
    auto connection = api_.post(
        "/api/v1/connections",
        json{{"type", "registry"},
             {"name", "local registry"},
             {"config", {{"url", "http://127.0.0.1:1"}, {"project_id", pid_}}},
             {"secret", "registry-notify-token"}});
    ASSERT_EQ(connection.status, 201) << connection.body;
    cid_ = connection.json()["id"];
  }

  HttpResult docker(const std::string& body, const std::string& token) {
    HttpClient anonymous(server_.base_url());
    std::vector<std::string> headers = {kDockerType};
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    return anonymous.request("POST", "/functions/v1/artifact-webhook?connection_id=" + cid_, body,
                             headers);
  }

  ServerProcess server_;
  HttpClient api_{server_.base_url()};
  std::string pid_, cid_;
};

TEST_F(ArtifactWebhook, DockerRegistryPushRegistersOnceAndPullsAreIgnored) {
  const std::string push = corpus("docker_push");
  EXPECT_EQ(docker(push, "").status, 401);
  EXPECT_EQ(docker(push, "wrong-token").status, 401);

  auto first = docker(push, "registry-notify-token");
  ASSERT_EQ(first.status, 200) << first.body;
  const json a = first.json()["registered"][0];
  EXPECT_EQ(a["name"], "library/test");
  EXPECT_EQ(a["image_tag"], "latest");
  EXPECT_EQ(a["image_digest"],
            "sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf");
  EXPECT_EQ(a["registry_url"], "https://example.com");
  EXPECT_EQ(a["type"], "docker");
  EXPECT_EQ(a["execution_id"], nullptr);
  EXPECT_EQ(a["duplicate"], false);

  auto again = docker(push, "registry-notify-token");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["registered"][0]["duplicate"], true);
  EXPECT_EQ(again.json()["registered"][0]["id"], a["id"]);

  auto pulled = docker(corpus("docker_pull_and_blob"), "registry-notify-token");
  EXPECT_EQ(pulled.status, 202) << pulled.body;
  EXPECT_EQ(pulled.json()["ignored"].size(), 2u);

  auto bad = docker(corpus("docker_bad_digest"), "registry-notify-token");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json()["error"]["field"], "events[0].target.digest");

  // One envelope with a good and a bad event stores nothing.
  json mixed = json::parse(push);
  mixed["events"][0]["target"]["tag"] = "v2";
  mixed["events"].push_back(json::parse(corpus("docker_bad_digest"))["events"][0]);
  EXPECT_EQ(docker(mixed.dump(), "registry-notify-token").status, 422);

  auto list = api_.get("/api/v1/projects/" + pid_ + "/artifacts");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["items"].size(), 1u) << list.body;
  EXPECT_EQ(list.json()["items"][0]["id"], a["id"]);
  auto audit = api_.get("/api/v1/audit-logs?action=artifact.registered").json()["items"];
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0]["resource_id"], a["id"]);
  EXPECT_EQ(audit[0]["details"]["sender"], "docker-registry");
}

TEST_F(ArtifactWebhook, GhcrPackageEventNeedsTheProjectsSignature) {
  auto integration = api_.put("/api/v1/projects/" + pid_ + "/github",
                              json{{"repository_owner", "octo-org"},
                                   {"repository_name", "hello-world"},
                                   {"webhook_secret", "ghcr-webhook-secret"}});
  ASSERT_EQ(integration.status, 200) << integration.body;
  HttpClient github(server_.base_url());
  const std::string body = corpus("ghcr_published");
  auto send = [&](const std::string& event, const std::string& signature) {
    return webhooks::send_delivery(github, "/functions/v1/artifact-webhook", event,
                                   "guid-1", body, signature);
  };
  EXPECT_EQ(send("package", "").status, 401);
  EXPECT_EQ(send("package", webhooks::hmac_sha256_header("other-secret", body)).status, 401);
  EXPECT_EQ(send("ping", webhooks::hmac_sha256_header("ghcr-webhook-secret", body)).status, 202);

  auto ok = send("package", webhooks::hmac_sha256_header("ghcr-webhook-secret", body));
  ASSERT_EQ(ok.status, 200) << ok.body;
  const json a = ok.json()["registered"][0];
  EXPECT_EQ(a["name"], "octo-org/hello_docker");
  EXPECT_EQ(a["image_tag"], "v1.2.0");
  EXPECT_EQ(a["registry_url"], "https://ghcr.io");
  EXPECT_EQ(a["metadata"]["revision"], "4f0b6c4c3a7b7a2b3e7b0e0d0f0a0b0c0d0e0f10");
  EXPECT_EQ(a["metadata"]["project_id"], pid_);
  auto list = api_.get("/api/v1/projects/" + pid_ + "/artifacts").json()["items"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["name"], "octo-org/hello_docker");
}

}  // namespace
}  // namespace opz::testing
