// EnvironmentStore (migration 006): a new project's default environments and
// lock rows, exact lookups, case-insensitive uniqueness, rename, lock/unlock
// with the seeds' columns, and rollback when a hook fails.
#include "store/environment_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"
#include "store/freeze_window_store.h"

namespace opz::store {
namespace {

class EnvironmentStoreTest : public MigratedDbTest {
 protected:
  EnvironmentStore store() { return EnvironmentStore(*db_, clock_); }
  Result<Rows> q(const std::string& sql, const Params& params = {}) {
    return db_->read([&](SqlSession& s) { return s.query(sql, params); });
  }
};

TEST_F(EnvironmentStoreTest, NewProjectGetsTheFourDefaultsWithTheirLocks) {
  const std::string p = create_project();
  auto envs = store().load(p);
  ASSERT_TRUE(envs.ok()) << envs.error().to_string();
  ASSERT_EQ(envs->size(), 4u);
  const std::vector<std::string> names = {"Development", "Staging", "PreProd", "Production"};
  const std::vector<std::string> roles = {"viewer", "operator", "operator", "admin"};
  for (size_t i = 0; i < 4; ++i) {
    const EnvironmentState& s = (*envs)[i];
    EXPECT_EQ(s.environment.name, names[i]);
    EXPECT_EQ(s.environment.position, static_cast<int>(i));
    EXPECT_EQ(s.environment.required_role, roles[i]);
    EXPECT_EQ(s.lock.environment, names[i]);
    EXPECT_FALSE(s.lock.id.empty());
    EXPECT_EQ(s.lock.is_locked, i >= 2) << names[i];
    EXPECT_EQ(s.lock.required_role, i == 3 ? "admin" : "operator");
  }
  const EnvironmentRecord& prod = (*envs)[3].environment;
  EXPECT_EQ(prod.required_approvals, 2);
  EXPECT_EQ(prod.wait_timer_seconds, 300);
  EXPECT_TRUE(prod.restrict_refs);
  EXPECT_EQ(prod.allowed_branches, (std::vector<std::string>{"main", "master"}));
  EXPECT_EQ(prod.allowed_tags, (std::vector<std::string>{"v*"}));
  EXPECT_EQ(prod.approval_expiry_seconds, 30 * 24 * 3600);
  EXPECT_EQ((*envs)[3].lock.lock_reason, "Locked by default (000 §4.1): unlock to deploy");
  EXPECT_TRUE((*envs)[0].environment.auto_deploy);
  EXPECT_FALSE((*envs)[0].environment.restrict_refs);

  // The seeds' step-5 SQL reads this project's row.
  auto seed = q("SELECT is_locked, lock_reason, required_role, requires_approval "
                "FROM environment_locks WHERE environment = 'Production' AND project_id = $1",
                {p});
  ASSERT_TRUE(seed.ok());
  ASSERT_EQ(seed->size(), 1u);
  EXPECT_EQ((*seed)[0]["is_locked"].as_int(), 1);
  EXPECT_EQ((*seed)[0]["required_role"].as_text(), "admin");
}

TEST_F(EnvironmentStoreTest, LookupsAreExactAndUnknownProjectsAreNotFound) {
  const std::string p = create_project();
  EXPECT_TRUE(store().find(p, "Production").ok());
  EXPECT_EQ(store().find(p, "production").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().find(p, "Production ").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().load("nope").error().code, ErrorCode::kNotFound);
}

TEST_F(EnvironmentStoreTest, CreateAppendsAndRefusesACaseInsensitiveDuplicate) {
  const std::string p = create_project();
  EnvironmentRecord qa;
  qa.name = "QA";
  qa.position = -1;
  qa.reviewers = {{"role", "admin"}, {"user", "u1"}};
  auto created = store().create(p, qa);
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(created->environment.position, 4);
  EXPECT_EQ(created->environment.reviewers, qa.reviewers);
  EXPECT_FALSE(created->lock.is_locked);
  EXPECT_EQ(created->lock.required_role, "operator");

  EnvironmentRecord dup;
  dup.name = "production";
  auto again = store().create(p, dup);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(again.error().field, "name");
  EXPECT_EQ(store().load(p)->size(), 5u);
}

TEST_F(EnvironmentStoreTest, UpdateRenamesTheLockRowAndFreezeWindowsAndKeepsRolesInStep) {
  const std::string p = create_project();
  FreezeWindowStore windows(*db_, clock_);
  FreezeWindowRecord w;
  w.project_id = p;
  w.environment = "Staging";
  w.start_local = "2030-01-01T00:00:00";
  w.end_local = "2030-01-02T00:00:00";
  w.reason = "release";
  ASSERT_TRUE(windows.create(w).ok());
  auto updated = store().update(p, "Staging", [](EnvironmentRecord& e) {
    e.name = "QA";
    e.required_role = "admin";
    e.requires_approval = true;
    e.required_approvals = 1;
    return Status();
  });
  ASSERT_TRUE(updated.ok()) << updated.error().to_string();
  EXPECT_EQ(updated->environment.name, "QA");
  EXPECT_EQ(updated->lock.environment, "QA");
  EXPECT_EQ(updated->lock.required_role, "admin");
  EXPECT_TRUE(updated->lock.requires_approval);
  EXPECT_EQ(store().find(p, "Staging").error().code, ErrorCode::kNotFound);
  auto moved = windows.list_scope(p, "QA");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->size(), 1u);

  auto clash = store().update(p, "QA", [](EnvironmentRecord& e) {
    e.name = "PRODUCTION";
    return Status();
  });
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().field, "name");
}

TEST_F(EnvironmentStoreTest, LockAndUnlockRecordWhoAndWhenAndTheHookRollsBack) {
  const std::string p = create_project();
  auto locked = store().lock(p, "Staging", "release freeze", "admin-1");
  ASSERT_TRUE(locked.ok()) << locked.error().to_string();
  EXPECT_TRUE(locked->lock.is_locked);
  EXPECT_EQ(locked->lock.lock_reason, "release freeze");
  EXPECT_EQ(locked->lock.locked_by, "admin-1");
  EXPECT_FALSE(locked->lock.locked_at.empty());

  EXPECT_EQ(store().lock(p, "Staging", "", "a").error().field, "reason");

  auto refused = store().unlock(p, "Staging", "op", [](const EnvironmentState&) -> Status {
    return Error::forbidden("no");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(store().find(p, "Staging")->lock.is_locked);

  auto failing_hook = store().unlock(
      p, "Staging", "op", {},
      [](SqlSession&, const EnvironmentState&) -> Status { return Error::internal("audit"); });
  ASSERT_FALSE(failing_hook.ok());
  EXPECT_TRUE(store().find(p, "Staging")->lock.is_locked);

  auto unlocked = store().unlock(p, "Staging", "admin-2");
  ASSERT_TRUE(unlocked.ok());
  EXPECT_FALSE(unlocked->lock.is_locked);
  EXPECT_TRUE(unlocked->lock.lock_reason.empty());
  EXPECT_EQ(unlocked->lock.unlocked_by, "admin-2");
  EXPECT_FALSE(unlocked->lock.unlocked_at.empty());
}

TEST_F(EnvironmentStoreTest, DeletingTheProjectRemovesItsEnvironmentsAndLocks) {
  const std::string p = create_project();
  ProjectStore projects(*db_, clock_);
  ASSERT_TRUE(projects.delete_project(p).ok());
  auto left = q("SELECT (SELECT count(*) FROM project_environments) AS e, "
                "(SELECT count(*) FROM environment_locks WHERE project_id IS NOT NULL) AS l");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ((*left)[0]["e"].as_int(), 0);
  EXPECT_EQ((*left)[0]["l"].as_int(), 0);
}

}  // namespace
}  // namespace opz::store
