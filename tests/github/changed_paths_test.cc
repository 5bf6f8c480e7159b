#include "github/changed_paths.h"

#include <gtest/gtest.h>

#include "github/webhook_event.h"

namespace opz::github {
namespace {

Json commit(std::vector<std::string> added, std::vector<std::string> modified = {},
            std::vector<std::string> removed = {}) {
  return Json{{"id", "abc"}, {"added", added}, {"modified", modified}, {"removed", removed}};
}

TEST(ChangedPathsTest, UnionOfEveryCommitsFilesSortedAndUnique) {
  Json push = {{"commits", Json::array({commit({"b/new.cc"}, {"a/x.cc"}),
                                        commit({}, {"a/x.cc", "c.md"}, {"old/gone.txt"})})}};
  const ChangedPaths c = read_changed_paths(push, false);
  EXPECT_TRUE(c.complete) << c.incomplete_reason;
  EXPECT_EQ(c.paths, (std::vector<std::string>{"a/x.cc", "b/new.cc", "c.md", "old/gone.txt"}));
}

TEST(ChangedPathsTest, TruncatedPayloadsAreIncompleteWithTheReason) {
  Json twenty = Json::array();
  for (int i = 0; i < 20; ++i) twenty.push_back(commit({"f" + std::to_string(i)}));
  Json sized = {{"commits", twenty}, {"size", 25}, {"distinct_size", 25}};
  ChangedPaths c = read_changed_paths(sized, false);
  EXPECT_FALSE(c.complete);
  EXPECT_EQ(c.incomplete_reason, "the payload lists 20 of 25 pushed commits");
  EXPECT_EQ(c.paths.size(), 20u) << "what is listed is still read";

  Json many_commits = Json::array();
  for (size_t i = 0; i < kMaxPayloadCommits; ++i) many_commits.push_back(commit({"f"}));
  c = read_changed_paths(Json{{"commits", many_commits}}, false);
  EXPECT_FALSE(c.complete);
  EXPECT_NE(c.incomplete_reason.find("2048 commits"), std::string::npos);

  std::vector<std::string> files;
  for (size_t i = 0; i < kMaxPayloadFilesPerList; ++i) files.push_back("f" + std::to_string(i));
  c = read_changed_paths(Json{{"commits", Json::array({commit({}, files)})}}, false);
  EXPECT_FALSE(c.complete);
  EXPECT_NE(c.incomplete_reason.find("3000 modified files"), std::string::npos);

  c = read_changed_paths(Json{{"commits", Json::array()}}, false);
  EXPECT_FALSE(c.complete);
  EXPECT_EQ(c.incomplete_reason, "the payload lists no commits");
  EXPECT_TRUE(read_changed_paths(Json{{"commits", Json::array()}}, true).complete)
      << "a delete changes no files";

  c = read_changed_paths(Json{{"commits", Json::array({Json{{"id", "x"}}})}}, false);
  EXPECT_FALSE(c.complete);
  EXPECT_EQ(c.incomplete_reason, "a commit of the payload lists no files");

  c = read_changed_paths(Json{{"commits", Json::array({Json{{"added", "x"}}})}}, false);
  EXPECT_FALSE(c.complete);
}

TEST(ChangedPathsTest, ParsedPushCarriesTheFiles) {
  Json body = {{"ref", "refs/heads/main"},
               {"before", std::string(40, 'a')},
               {"after", std::string(40, 'b')},
               {"repository", {{"full_name", "octo/mono"}, {"id", 7}}},
               {"sender", {{"login", "octo"}}},
               {"commits", Json::array({commit({"services/api/a.cc"}, {"README.md"})})}};
  auto event = parse_webhook_event("push", body.dump());
  ASSERT_TRUE(event.ok()) << event.error().message;
  ASSERT_NE(event->push(), nullptr);
  EXPECT_TRUE(event->push()->changed.complete);
  EXPECT_EQ(event->push()->changed.paths,
            (std::vector<std::string>{"README.md", "services/api/a.cc"}));
}

}  // namespace
}  // namespace opz::github
