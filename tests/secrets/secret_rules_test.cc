#include "secrets/secret_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opz::secrets {
namespace {

TEST(SecretRulesTest, NamesAreEnvironmentVariableNames) {
  for (const char* ok : {"A", "_", "DB_PASSWORD", "_X1", "API_KEY_2"})
    EXPECT_TRUE(check_secret_name(ok).ok()) << ok;
  for (const std::string& bad : std::vector<std::string>{"", "1ABC", "db_password", "A-B", "A B", "É", "OPZENIX_TOKEN",
                                std::string(129, 'A')}) {
    auto st = check_secret_name(bad);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().code, ErrorCode::kValidation);
    EXPECT_EQ(st.error().field, "name");
  }
}

TEST(SecretRulesTest, ValuesAreAtMost64KiBWithoutNul) {
  EXPECT_TRUE(check_secret_value("").ok());
  EXPECT_TRUE(check_secret_value(std::string(64 * 1024, 'x')).ok());
  auto big = check_secret_value(std::string(64 * 1024 + 1, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().field, "value");
  auto nul = check_secret_value(std::string("a\0b", 3));
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().field, "value");
}

}  // namespace
}  // namespace opz::secrets
