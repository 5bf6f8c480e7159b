// The outbound-allow option: flag over environment over file, validated as
// an allow-list when read (a bad entry stops the server from starting).
#include <gtest/gtest.h>

#include "app/config.h"

namespace opz::app {
namespace {

TEST(OutboundAllowConfig, DefaultsToNothingAndReadsFlagOrEnvironment) {
  auto none = resolve_config({}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->outbound_allow, "");
  auto env = resolve_config({}, {{"OPZENIX_OUTBOUND_ALLOW", "127.0.0.0/8,::1,file"}});
  ASSERT_TRUE(env.ok()) << env.error().message;
  EXPECT_EQ(env->outbound_allow, "127.0.0.0/8,::1,file");
  auto flag = resolve_config({{"outbound-allow", "git.internal"}},
                             {{"OPZENIX_OUTBOUND_ALLOW", "10.0.0.0/8"}});
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->outbound_allow, "git.internal");
  EXPECT_EQ(config_to_json(*flag)["outbound-allow"], "git.internal");
}

TEST(OutboundAllowConfig, AMalformedEntryIsRefusedNamingTheOption) {
  auto bad = resolve_config({{"outbound-allow", "10.0.0.0/40"}}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "outbound-allow");
  EXPECT_NE(bad.error().message.find("10.0.0.0/40"), std::string::npos);
}

}  // namespace
}  // namespace opz::app
