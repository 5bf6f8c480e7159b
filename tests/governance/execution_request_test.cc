#include "governance/execution_request.h"

#include <gtest/gtest.h>

namespace opz::governance {
namespace {

TEST(ExecutionRequest, EnumNamesRoundTrip) {
  for (auto k : {RefKind::kBranch, RefKind::kTag, RefKind::kNone}) {
    auto parsed = parse_ref_kind(to_string(k));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, k);
  }
  for (auto k : {TriggerKind::kWebhook, TriggerKind::kPoll, TriggerKind::kApi, TriggerKind::kRerun,
                 TriggerKind::kPromotion, TriggerKind::kRollback}) {
    auto parsed = parse_trigger_kind(to_string(k));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, k);
  }
  EXPECT_EQ(to_string(TriggerKind::kPromotion), "promotion");
}

TEST(ExecutionRequest, UnknownNamesAreValidationErrorsNamingTheField) {
  auto bad = parse_trigger_kind("cron");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_EQ(bad.error().field, "trigger");
  EXPECT_NE(bad.error().message.find("webhook"), std::string::npos);
  EXPECT_EQ(parse_ref_kind("Branch").error().field, "ref_kind");
}

TEST(ExecutionRequest, OnlyWebhookAndPollAreSystemTriggers) {
  EXPECT_TRUE(is_system_trigger(TriggerKind::kWebhook));
  EXPECT_TRUE(is_system_trigger(TriggerKind::kPoll));
  EXPECT_FALSE(is_system_trigger(TriggerKind::kApi));
  EXPECT_FALSE(is_system_trigger(TriggerKind::kRollback));
}

}  // namespace
}  // namespace opz::governance
