#include "engine/node_outputs.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace opz::engine {
namespace {

TEST(NodeOutputsTest, ReadsTheOutputFileOrNothing) {
  testing::TempDir dir;
  auto missing = read_output_file(dir.str() + "/none");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());
  auto path = dir.write("out", "a=1\nmulti<<EOF\nx\ny\nEOF\na=2\n");
  auto values = read_output_file(path);
  ASSERT_TRUE(values.ok()) << values.error().to_string();
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ((*values)[0], (std::pair<std::string, std::string>{"a", "2"}));
  EXPECT_EQ((*values)[1].second, "x\ny");
}

TEST(NodeOutputsTest, MalformedAndOversizedFilesAreErrors) {
  testing::TempDir dir;
  auto bad = read_output_file(dir.write("bad", "ok=1\nthis line has no equals\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("output file line 2"), std::string::npos)
      << bad.error().message;
  auto big = read_output_file(dir.write("big", "k=" + std::string(kMaxOutputFileBytes, 'x')));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
}

TEST(NodeOutputsTest, ArtifactReferenceForm) {
  auto a = artifacts_from_outputs(
      {{"version", "1"}, {"artifact.image", "registry.example.com:5000/web/app:v1.2@sha256:abc"}},
      "build");
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0].name, "image");
  EXPECT_EQ((*a)[0].registry_url, "registry.example.com:5000/web/app");
  EXPECT_EQ((*a)[0].image_tag, "v1.2");
  EXPECT_EQ((*a)[0].image_digest, "sha256:abc");
  EXPECT_EQ((*a)[0].type, "docker");
  EXPECT_EQ((*a)[0].metadata["reference"], "registry.example.com:5000/web/app:v1.2@sha256:abc");
  auto no_tag = artifacts_from_outputs({{"artifact.img", "registry:5000/app"}}, "b");
  ASSERT_TRUE(no_tag.ok());
  EXPECT_EQ((*no_tag)[0].registry_url, "registry:5000/app");
  EXPECT_EQ((*no_tag)[0].image_tag, "");
}

TEST(NodeOutputsTest, NamedFieldsAndFlatForm) {
  auto a = artifacts_from_outputs({{"artifact.web.app.image_tag", "v1"},
                                   {"artifact.web.app.size_bytes", "42"},
                                   {"artifact.web.app.arch", "arm64"},
                                   {"artifact.cli.type", "binary"},
                                   {"artifact.image_tag", "v9"},
                                   {"artifact.name", "bundle"}},
                                  "build");
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].name, "web.app");
  EXPECT_EQ((*a)[0].image_tag, "v1");
  EXPECT_EQ((*a)[0].size_bytes, 42);
  EXPECT_EQ((*a)[0].metadata["arch"], "arm64");
  EXPECT_EQ((*a)[1].name, "cli");
  EXPECT_EQ((*a)[1].type, "binary");
  EXPECT_EQ((*a)[2].name, "bundle");
  EXPECT_EQ((*a)[2].image_tag, "v9");

  auto unnamed = artifacts_from_outputs({{"artifact.image_tag", "v9"}}, "build");
  ASSERT_TRUE(unnamed.ok());
  EXPECT_EQ((*unnamed)[0].name, "build");
  EXPECT_TRUE(artifacts_from_outputs({{"plain", "1"}}, "b")->empty());
}

TEST(NodeOutputsTest, BadArtifactValuesAreErrors) {
  EXPECT_FALSE(artifacts_from_outputs({{"artifact.x.size_bytes", "-1"}}, "b").ok());
  EXPECT_FALSE(artifacts_from_outputs({{"artifact.x.size_bytes", "12kb"}}, "b").ok());
  EXPECT_FALSE(artifacts_from_outputs({{"artifact.name", ""}}, "b").ok());
  auto empty_name = artifacts_from_outputs({{"artifact..image_tag", "v"}}, "b");
  ASSERT_FALSE(empty_name.ok());
  EXPECT_EQ(empty_name.error().field, "artifact..image_tag");
}

TEST(NodeOutputsTest, JsonRoundTrip) {
  runner::OutputValues v = {{"b", "2"}, {"a", "1"}};
  Json j = outputs_to_json(v);
  EXPECT_EQ(j["a"], "1");
  auto back = outputs_from_json(j);
  EXPECT_EQ(back.size(), 2u);
  EXPECT_TRUE(outputs_from_json(Json::array()).empty());
  EXPECT_EQ(outputs_from_json(Json{{"n", 3}, {"s", "x"}}).size(), 1u);
}

}  // namespace
}  // namespace opz::engine
