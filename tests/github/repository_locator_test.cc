#include "github/repository_locator.h"

#include <gtest/gtest.h>

#include <string>

#include "github/fixture_files.h"
#include "github/webhook_event.h"

namespace opz::github {
namespace {

TEST(ExtractRepositoryFullName, ReadsEveryRepositoryFixture) {
  for (const auto& name : testing::fixture_names()) {
    if (name == "ping.organization.json") continue;  // organization hook: no repository
    const std::string body = testing::read_fixture(name);
    auto full_name = extract_repository_full_name(body, kMaxWebhookBodyBytes);
    ASSERT_TRUE(full_name.ok()) << name << ": " << full_name.error().to_string();
    // Independently: what the document says.
    EXPECT_EQ(*full_name, Json::parse(body)["repository"]["full_name"].get<std::string>()) << name;
    EXPECT_NE(full_name->find('/'), std::string::npos) << name;
  }
}

TEST(ExtractRepositoryFullName, OrganizationPingHasNone) {
  auto r = extract_repository_full_name(testing::read_fixture("ping.organization.json"),
                                        kMaxWebhookBodyBytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().field, "repository");
}

TEST(ExtractRepositoryFullName, EnforcesTheSizeBound) {
  std::string body = R"({"repository":{"full_name":"a/b"}})";
  auto r = extract_repository_full_name(body, body.size() - 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(*extract_repository_full_name(body, body.size()), "a/b");
}

TEST(ExtractRepositoryFullName, InvalidJsonReportsTheByteOffset) {
  auto r = extract_repository_full_name(R"({"repository": {"full_name": "a/b",}})", 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  EXPECT_NE(r.error().message.find("at byte 36"), std::string::npos) << r.error().message;
}

TEST(ExtractRepositoryFullName, RejectsMissingOrMistypedFields) {
  auto not_object = extract_repository_full_name("\"x\"", 100);
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().message, "webhook payload must be a JSON object, got string");

  auto no_name = extract_repository_full_name(R"({"repository":{"full_name":7}})", 100);
  ASSERT_FALSE(no_name.ok());
  EXPECT_EQ(no_name.error().field, "repository.full_name");

  auto repo_not_object = extract_repository_full_name(R"({"repository":"a/b"})", 100);
  ASSERT_FALSE(repo_not_object.ok());
  EXPECT_EQ(repo_not_object.error().field, "repository");
}

TEST(CheckFullName, AcceptsRealNames) {
  EXPECT_TRUE(check_full_name("Codertocat/Hello-World").ok());
  EXPECT_TRUE(check_full_name("octo-org/my_repo.js").ok());
  EXPECT_TRUE(check_full_name("a/.github").ok());
}

TEST(CheckFullName, RejectsShapesThatCouldEscapeAUrlPath) {
  for (const char* bad : {"", "noslash", "/repo", "owner/", "a/b/c", "a/..", "../b", "a/b?x=1",
                          "a/b#f", "a b/c", "a/%2e%2e"}) {
    Status s = check_full_name(bad);
    EXPECT_FALSE(s.ok()) << bad;
    if (!s.ok()) {
      EXPECT_EQ(s.error().field, "repository.full_name") << bad;
    }
  }
  EXPECT_FALSE(check_full_name("o/" + std::string(101, 'x')).ok());
}

}  // namespace
}  // namespace opz::github
