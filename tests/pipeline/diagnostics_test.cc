#include "pipeline/diagnostics.h"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/yaml_document.h"

namespace opz::pipeline {
namespace {

TEST(Diagnostics, PrefixesThePathAndPlacesTheField) {
  JsonSourceMap source;
  Diagnostics diag(source);
  EXPECT_TRUE(diag.ok());
  diag.report("edges[2].target", "unknown node 'x'");
  diag.report("", "no path");
  diag.report_message("nodes[1]", true, "custom text");
  diag.report_in_string("nodes[0].data.if", 7, "bad");
  ASSERT_EQ(diag.errors().size(), 4u);
  EXPECT_FALSE(diag.ok());
  EXPECT_EQ(diag.errors()[0].message, "edges[2].target: unknown node 'x'");
  EXPECT_EQ(diag.errors()[0].field, "edges[2].target");
  EXPECT_EQ(diag.errors()[0].code, ErrorCode::kValidation);
  EXPECT_EQ(diag.errors()[1].message, "no path");
  EXPECT_EQ(diag.errors()[2].message, "custom text");
  EXPECT_EQ(diag.errors()[2].field, "nodes[1]");
  EXPECT_EQ(diag.errors()[3].field, "nodes[0].data.if");
}

TEST(Diagnostics, YamlFieldsAreLineColumn) {
  Result<YamlDocument> doc = YamlDocument::load("a:\n  b: 'xyz'\n");
  ASSERT_TRUE(doc.ok());
  Diagnostics diag(*doc);
  diag.report("a.b", "wrong");
  diag.report("a.b", "wrong key", true);
  diag.report_in_string("a.b", 2, "at z");
  EXPECT_EQ(diag.errors()[0].field, "2:6");
  EXPECT_EQ(diag.errors()[1].field, "2:3");
  EXPECT_EQ(diag.errors()[2].field, "2:9");
}

TEST(Diagnostics, StopsAfterTheLimit) {
  JsonSourceMap source;
  Diagnostics diag(source);
  for (int i = 0; i < 150; ++i) diag.report("p", "problem " + std::to_string(i));
  ASSERT_EQ(diag.errors().size(), 101u);
  EXPECT_EQ(diag.errors()[99].message, "p: problem 99");
  EXPECT_EQ(diag.errors()[100].message, "too many problems; only the first 100 are listed");
}

TEST(Diagnostics, LongMessagesAreShortened) {
  JsonSourceMap source;
  Diagnostics diag(source);
  diag.report("p", std::string(5000, 'x'));
  EXPECT_EQ(diag.errors()[0].message.size(), 1024u + 3u);
  std::vector<Error> taken = diag.take_errors();
  EXPECT_EQ(taken.size(), 1u);
}

}  // namespace
}  // namespace opz::pipeline
