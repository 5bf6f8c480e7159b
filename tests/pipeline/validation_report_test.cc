#include "pipeline/validation_report.h"

#include <gtest/gtest.h>

namespace opz::pipeline {
namespace {

TEST(ValidationReport, ToJsonSplitsLineAndColumn) {
  ValidationReport r;
  r.valid = false;
  r.errors.push_back(Error::validation("nodes.a.needs: unknown node 'x'", "7:12"));
  r.errors.push_back(Error::validation("edges[0].target: unknown node 'y'", "edges[0].target"));
  r.errors.push_back(Error::validation("no field"));
  r.node_count = 2;
  r.edge_count = 1;
  Json j = r.to_json();
  EXPECT_EQ(j["valid"], false);
  ASSERT_EQ(j["errors"].size(), 3u);
  EXPECT_EQ(
      j["errors"][0],
      Json::parse(R"({"code": "validation_failed", "message": "nodes.a.needs: unknown node 'x'",
                            "field": "7:12", "line": 7, "column": 12})"));
  EXPECT_FALSE(j["errors"][1].contains("line"));
  EXPECT_EQ(j["errors"][1]["field"], "edges[0].target");
  EXPECT_FALSE(j["errors"][2].contains("field"));
  EXPECT_EQ(j["summary"], Json::parse(R"({"nodes": 2, "edges": 1, "order": []})"));
}

TEST(ValidationReport, ValidSummary) {
  ValidationReport r{true, {}, 2, 1, {"a", "b"}};
  EXPECT_EQ(r.to_json(), Json::parse(R"({"valid": true, "errors": [],
      "summary": {"nodes": 2, "edges": 1, "order": ["a", "b"]}})"));
}

TEST(LineAndColumn, OnlyTheExactForm) {
  EXPECT_EQ(line_and_column(Error::validation("m", "3:14")), std::make_pair(3, 14));
  EXPECT_FALSE(line_and_column(Error::validation("m", "3:")));
  EXPECT_FALSE(line_and_column(Error::validation("m", ":3")));
  EXPECT_FALSE(line_and_column(Error::validation("m", "a:b")));
  EXPECT_FALSE(line_and_column(Error::validation("m", "3:4:5")));
  EXPECT_FALSE(line_and_column(Error::validation("m", "nodes.a")));
}

}  // namespace
}  // namespace opz::pipeline
