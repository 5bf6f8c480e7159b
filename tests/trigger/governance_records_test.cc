// Record <-> governance mapping: a new project's stored environments are
// exactly governance::default_environments(); rules round-trip; freeze
// window text is parsed with the API's field names; the emergency stop.
#include "trigger/governance_records.h"

#include <gtest/gtest.h>

#include "core/time_format.h"
#include "store/migrated_db_test.h"

namespace opz::trigger {
namespace {

using governance::EnvironmentProtection;

void expect_same_rules(const EnvironmentProtection& a, const EnvironmentProtection& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.position, b.position) << a.name;
  EXPECT_EQ(a.is_locked, b.is_locked) << a.name;
  EXPECT_EQ(a.lock_reason, b.lock_reason) << a.name;
  EXPECT_EQ(a.required_role, b.required_role) << a.name;
  EXPECT_EQ(a.requires_approval, b.requires_approval) << a.name;
  EXPECT_EQ(a.required_approvals, b.required_approvals) << a.name;
  EXPECT_EQ(a.reviewers, b.reviewers) << a.name;
  EXPECT_EQ(a.prevent_self_approval, b.prevent_self_approval) << a.name;
  EXPECT_EQ(a.wait_timer_seconds, b.wait_timer_seconds) << a.name;
  EXPECT_EQ(a.restrict_refs, b.restrict_refs) << a.name;
  EXPECT_EQ(a.allowed_branches, b.allowed_branches) << a.name;
  EXPECT_EQ(a.allowed_tags, b.allowed_tags) << a.name;
  EXPECT_EQ(a.auto_deploy, b.auto_deploy) << a.name;
  EXPECT_EQ(a.approval_expiry, b.approval_expiry) << a.name;
  EXPECT_EQ(a.queue_mode, b.queue_mode) << a.name;
}

class GovernanceRecordsStoreTest : public store::MigratedDbTest {};

TEST_F(GovernanceRecordsStoreTest, ANewProjectsEnvironmentsAreGovernancesDefaults) {
  const std::string p = create_project();
  store::EnvironmentStore envs(*db_, clock_);
  auto loaded = envs.load(p);
  ASSERT_TRUE(loaded.ok());
  auto stored = to_protections(*loaded);
  auto defaults = governance::default_environments();
  ASSERT_EQ(stored.size(), defaults.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    expect_same_rules(stored[i], defaults[i]);
    EXPECT_TRUE(governance::validate_protection(stored[i]).ok()) << stored[i].name;
  }
}

TEST(GovernanceRecordsTest, RulesRoundTripThroughTheRecord) {
  EnvironmentProtection p = governance::default_environments()[3];
  p.reviewers = {{governance::ReviewerKind::kRole, "admin"},
                 {governance::ReviewerKind::kUser, "u-1"}};
  p.queue_mode = governance::QueueMode::kNewestReadyFirst;
  p.approval_expiry = std::chrono::hours(2);
  store::EnvironmentRecord base;
  base.id = "id-1";
  base.created_at = "2026-01-01T00:00:00.000Z";
  store::EnvironmentRecord r = to_record(p, base);
  EXPECT_EQ(r.id, "id-1");
  EXPECT_EQ(r.created_at, base.created_at);
  EXPECT_EQ(r.required_role, "admin");
  EXPECT_EQ(r.queue_mode, "newest_ready_first");
  EXPECT_EQ(r.approval_expiry_seconds, 7200);
  store::EnvironmentLockRecord lock;
  lock.is_locked = p.is_locked;
  lock.lock_reason = p.lock_reason;
  expect_same_rules(to_protection(r, lock), p);
}

TEST(GovernanceRecordsTest, FreezeWindowsParseWithTheApiFieldNames) {
  store::FreezeWindowRecord abs;
  abs.project_id = "p";
  abs.environment = "Production";
  abs.kind = "absolute";
  abs.start_local = "2030-01-01T10:00";
  abs.end_local = "2030-01-01T12:00";
  abs.timezone = "Europe/Berlin";
  abs.reason = "release";
  auto w = compile_freeze_window(abs);
  ASSERT_TRUE(w.ok()) << w.error().to_string();
  EXPECT_EQ(w->window().scope, governance::FreezeScope::kEnvironment);
  EXPECT_EQ(to_record(w->window()).start_local, "2030-01-01T10:00:00");

  auto bad = abs;
  bad.timezone = "Mars/Olympus";
  EXPECT_EQ(compile_freeze_window(bad).error().field, "timezone");
  bad = abs;
  bad.end_local = "2030-01-01T09:00";
  EXPECT_EQ(compile_freeze_window(bad).error().field, "end");
  bad = abs;
  bad.start_local = "tomorrow";
  EXPECT_EQ(compile_freeze_window(bad).error().field, "start");

  store::FreezeWindowRecord weekly;
  weekly.project_id = "p";
  weekly.kind = "weekly";
  weekly.weekdays = {"Sat", "sunday"};
  weekly.start_time = "22:00";
  weekly.end_time = "06:00";
  weekly.reason = "weekend";
  auto ww = compile_freeze_window(weekly);
  ASSERT_TRUE(ww.ok()) << ww.error().to_string();
  EXPECT_EQ(ww->window().scope, governance::FreezeScope::kProject);
  auto normalised = to_record(ww->window());
  EXPECT_EQ(normalised.weekdays, (std::vector<std::string>{"sat", "sun"}));
  EXPECT_EQ(normalised.end_time, "06:00");
  weekly.weekdays = {"sat", "funday"};
  EXPECT_EQ(compile_freeze_window(weekly).error().field, "weekdays[1]");
  weekly.weekdays = {"sat"};
  weekly.start_time = "24:00";
  EXPECT_EQ(compile_freeze_window(weekly).error().field, "start_time");

  store::FreezeWindowRecord cron;
  cron.kind = "cron";
  cron.cron = "0 18 * * FRI";
  cron.duration_seconds = 7200;
  cron.reason = "friday";
  auto cw = compile_freeze_window(cron);
  ASSERT_TRUE(cw.ok()) << cw.error().to_string();
  EXPECT_EQ(cw->window().scope, governance::FreezeScope::kGlobal);
  EXPECT_EQ(cw->window().duration, std::chrono::minutes(120));
  cron.cron = "61 * * * *";
  EXPECT_EQ(compile_freeze_window(cron).error().field.rfind("cron", 0), 0u);

  auto compiled = compile_freeze_windows({abs, cron});
  EXPECT_EQ(compiled.windows.size(), 1u);
  EXPECT_EQ(compiled.skipped.size(), 1u);
}

TEST(GovernanceRecordsTest, EmergencyStopIsActiveOnlyUntilLifted) {
  EXPECT_FALSE(to_emergency_stop(std::nullopt).active);
  store::EmergencyStopRecord r{"id", "incident", "cancel", "admin-1", "2026-03-01T10:00:00.000Z",
                               "", ""};
  auto stop = to_emergency_stop(r);
  EXPECT_TRUE(stop.active);
  EXPECT_EQ(stop.reason, "incident");
  EXPECT_EQ(stop.by, "admin-1");
  EXPECT_EQ(format_time(stop.since), "2026-03-01T10:00:00.000Z");
  r.lifted_at = "2026-03-01T11:00:00.000Z";
  EXPECT_FALSE(to_emergency_stop(r).active);
}

}  // namespace
}  // namespace opz::trigger
