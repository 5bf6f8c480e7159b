#include "core/result.h"

#include <gtest/gtest.h>

namespace opz {
namespace {

Result<int> half(int x) {
  if (x % 2) return Error::validation("odd", "x");
  return x / 2;
}

Result<int> quarter(int x) {
  OPZ_TRY(int h, half(x));
  OPZ_TRY(int q, half(h));
  return q;
}

TEST(Result, PropagatesTheFirstError) {
  EXPECT_EQ(*quarter(8), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().to_string(), "validation_failed: odd (at x)");
}

TEST(Result, StatusCarriesErrors) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  Status bad = Error::not_found("no such thing");
  EXPECT_TRUE(bad.error().is_not_found());
  EXPECT_EQ(error_code_name(ErrorCode::kTooLarge), "payload_too_large");
}

}  // namespace
}  // namespace opz
