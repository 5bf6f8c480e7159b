// The files we ship for users to copy must keep working: etc/opzenix.yaml
// names every server option with its default, and every pipeline under
// examples/ parses and validates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/config.h"
#include "pipeline/pipeline_yaml.h"

namespace opz::app {
namespace {

const std::filesystem::path kSource = OPZENIX_SOURCE_DIR;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ShippedFilesTest, EtcConfigNamesEveryOptionWithItsDefault) {
  const auto path = kSource / "etc" / "opzenix.yaml";
  ASSERT_TRUE(std::filesystem::exists(path));
  auto from_file = resolve_config({{"config", path.string()}}, {});
  ASSERT_TRUE(from_file.ok()) << from_file.error().to_string();
  auto defaults = resolve_config({}, {});
  ASSERT_TRUE(defaults.ok());
  const std::string text = read_file(path);
  for (const auto& o : config_options()) {
    EXPECT_NE(text.find("\n" + o.name + ": "), std::string::npos) << o.name << " is missing";
    EXPECT_NE(text.find("(" + o.env + ")"), std::string::npos) << o.env << " is not mentioned";
    EXPECT_EQ(o.get(*from_file), o.get(*defaults)) << o.name << " differs from its default";
  }
}

TEST(ShippedFilesTest, EveryExamplePipelineValidates) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSource / "examples")) {
    if (entry.path().extension() != ".yml" && entry.path().extension() != ".yaml") continue;
    ++seen;
    auto p = pipeline::parse_pipeline_yaml(read_file(entry.path()));
    EXPECT_TRUE(p.ok()) << entry.path() << ": " << p.error().to_string();
  }
  EXPECT_GE(seen, 3);
}

}  // namespace
}  // namespace opz::app
