// EmergencyStopStore (migration 006): one active stop at a time, lift
// records who and when, history keeps every activation.
#include "store/emergency_stop_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

using EmergencyStopStoreTest = MigratedDbTest;

TEST_F(EmergencyStopStoreTest, ActivateLiftAndHistory) {
  EmergencyStopStore store(*db_, clock_);
  EXPECT_FALSE(store.active()->has_value());
  auto on = store.activate("incident 42", "cancel", "admin-1");
  ASSERT_TRUE(on.ok()) << on.error().to_string();
  auto active = store.active();
  ASSERT_TRUE(active.ok() && active->has_value());
  EXPECT_EQ((*active)->reason, "incident 42");
  EXPECT_EQ((*active)->mode, "cancel");
  EXPECT_EQ((*active)->activated_by, "admin-1");

  EXPECT_EQ(store.activate("again", "let_finish", "admin-2").error().code, ErrorCode::kConflict);

  clock_.advance(std::chrono::minutes(5));
  auto off = store.lift("admin-2");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->lifted_by, "admin-2");
  EXPECT_FALSE(off->lifted_at.empty());
  EXPECT_FALSE(store.active()->has_value());
  EXPECT_EQ(store.lift("admin-2").error().code, ErrorCode::kConflict);

  ASSERT_TRUE(store.activate("second", "let_finish", "admin-1").ok());
  auto history = store.history();
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].reason, "second");
}

TEST_F(EmergencyStopStoreTest, BadInputAndAFailingHookWriteNothing) {
  EmergencyStopStore store(*db_, clock_);
  EXPECT_EQ(store.activate("", "cancel", "a").error().field, "reason");
  EXPECT_EQ(store.activate("r", "halt", "a").error().field, "mode");
  auto failed = store.activate("r", "cancel", "a", [](SqlSession&, const EmergencyStopRecord&) {
    return Status(Error::internal("audit"));
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_FALSE(store.active()->has_value());
}

}  // namespace
}  // namespace opz::store
