#include "telemetry/build_info.h"

#include <gtest/gtest.h>

namespace opz::telemetry {
namespace {

TEST(BuildInfo, ExportsVersionGaugeOfOne) {
  MetricsRegistry registry;
  ASSERT_TRUE(register_build_info(registry, "0.1.0").ok());
  ASSERT_TRUE(register_build_info(registry, "0.1.0").ok());  // idempotent
  const std::string text = registry.render();
  EXPECT_NE(text.find("# TYPE opzenix_build_info gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find("opzenix_build_info{version=\"0.1.0\"} 1\n"), std::string::npos) << text;
}

TEST(BuildInfo, ConflictsWithAnotherShapeOfTheSameName) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry.gauge("opzenix_build_info", "x", {"commit"}).ok());
  auto s = register_build_info(registry, "0.1.0");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace opz::telemetry
