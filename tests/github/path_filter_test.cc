#include "github/path_filter.h"

#include <gtest/gtest.h>

namespace opz::github {
namespace {

struct Case {
  std::vector<std::string> patterns;
  std::string path;
  bool included;
};

TEST(PathFilterTest, Table) {
  const std::vector<Case> cases = {
      // ** crosses segments, * and ? stay inside one.
      {{"services/api/**"}, "services/api/main.cc", true},
      {{"services/api/**"}, "services/api/src/deep/x.cc", true},
      {{"services/api/**"}, "services/web/main.cc", false},
      {{"services/api/**"}, "services/api", false},
      {{"*.md"}, "README.md", true},
      {{"*.md"}, "docs/guide.md", false},
      {{"**.md"}, "docs/guide.md", true},
      {{"**/*.md"}, "docs/deep/guide.md", true},
      {{"lib?/x"}, "lib1/x", true},
      {{"lib?/x"}, "lib12/x", false},
      {{"lib?/x"}, "lib//x", false},
      {{"[abc]/**"}, "b/file", true},
      {{"[abc]/**"}, "d/file", false},
      {{"[!abc]/**"}, "d/file", true},
      // A leading '/' only anchors (everything is anchored); also on the path.
      {{"/ci/deploy.yml"}, "ci/deploy.yml", true},
      {{"ci/deploy.yml"}, "/ci/deploy.yml", true},
      {{"/ci/deploy.yml"}, "sub/ci/deploy.yml", false},
      // Negation: the last matching pattern decides.
      {{"services/**", "!services/legacy/**"}, "services/api/a.cc", true},
      {{"services/**", "!services/legacy/**"}, "services/legacy/a.cc", false},
      {{"services/**", "!services/legacy/**", "services/legacy/keep.cc"},
       "services/legacy/keep.cc", true},
      // A list starting with a negation includes everything else.
      {{"!docs/**"}, "src/main.cc", true},
      {{"!docs/**"}, "docs/index.md", false},
      {{"!/docs/**"}, "docs/index.md", false},
      // Escapes and case.
      {{"a\\*b"}, "a*b", true},
      {{"a\\*b"}, "axb", false},
      {{"Docs/**"}, "docs/x", false},
  };
  for (const Case& c : cases) {
    auto filter = PathFilter::compile(c.patterns);
    ASSERT_TRUE(filter.ok()) << c.patterns[0] << ": " << filter.error().message;
    EXPECT_EQ(filter->includes(c.path), c.included)
        << "patterns[0]=" << c.patterns[0] << " (" << c.patterns.size() << " patterns) path "
        << c.path;
  }
}

TEST(PathFilterTest, EmptyListPassesEverything) {
  auto filter = PathFilter::compile({});
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->empty());
  EXPECT_TRUE(filter->includes("anything/at/all"));
}

TEST(PathFilterTest, FirstMatchNamesTheFirstIncludedFile) {
  auto filter = PathFilter::compile({"services/api/**", "!**.md"});
  ASSERT_TRUE(filter.ok());
  const std::vector<std::string> changed = {"README.md", "services/api/README.md",
                                            "services/api/main.cc", "services/api/x.cc"};
  const std::string* first = filter->first_match(changed);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first, "services/api/main.cc");
  EXPECT_EQ(filter->first_match({"README.md", "web/app.ts"}), nullptr);
  EXPECT_EQ(filter->first_match({}), nullptr);
}

TEST(PathFilterTest, InvalidPatternsNameTheFieldAndIndex) {
  struct Bad {
    std::vector<std::string> patterns;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {{"ok/**", "src/[z-a]"}, "path_filters[1]"},
      {{"a", "b", "[abc"}, "path_filters[2]"},
      {{""}, "path_filters[0]"},
      {{"!"}, "path_filters[0]"},
      {{"/"}, "path_filters[0]"},
      {{"x", "trailing\\"}, "path_filters[1]"},
      {{std::string(kMaxPathFilterLength + 1, 'a')}, "path_filters[0]"},
      {std::vector<std::string>(kMaxPathFilters + 1, "a"), "path_filters"},
  };
  for (const Bad& b : bad) {
    auto filter = PathFilter::compile(b.patterns);
    ASSERT_FALSE(filter.ok()) << b.field;
    EXPECT_EQ(filter.error().code, ErrorCode::kValidation);
    EXPECT_EQ(filter.error().field, b.field);
  }
}

}  // namespace
}  // namespace opz::github
