// FreezeWindowStore (migration 006): scopes, what applies to an environment,
// the in-transaction check, and removal by scope.
#include "store/freeze_window_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

class FreezeWindowStoreTest : public MigratedDbTest {
 protected:
  FreezeWindowStore store() { return FreezeWindowStore(*db_, clock_); }
  FreezeWindowRecord window(const std::string& project, const std::string& env,
                            const std::string& reason) {
    FreezeWindowRecord w;
    w.project_id = project;
    w.environment = env;
    w.kind = "cron";
    w.cron = "0 18 * * FRI";
    w.duration_seconds = 3600;
    w.timezone = "Europe/Berlin";
    w.reason = reason;
    w.created_by = "admin-1";
    return w;
  }
};

TEST_F(FreezeWindowStoreTest, StoresEveryFieldAndListsByScope) {
  const std::string p = create_project("a");
  const std::string other = create_project("b");
  FreezeWindowRecord weekly;
  weekly.project_id = p;
  weekly.environment = "Production";
  weekly.kind = "weekly";
  weekly.weekdays = {"sat", "sun"};
  weekly.start_time = "00:00";
  weekly.end_time = "23:59";
  weekly.reason = "weekend";
  auto created = store().create(weekly);
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  ASSERT_TRUE(store().create(window(p, "", "project-wide")).ok());
  ASSERT_TRUE(store().create(window("", "", "global")).ok());
  ASSERT_TRUE(store().create(window(other, "Production", "other project")).ok());

  auto found = store().find(created->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->weekdays, (std::vector<std::string>{"sat", "sun"}));
  EXPECT_EQ(found->start_time, "00:00");
  EXPECT_EQ(found->kind, "weekly");
  EXPECT_EQ(found->duration_seconds, 0);

  EXPECT_EQ(store().list_scope(p, "Production")->size(), 1u);
  EXPECT_EQ(store().list_scope(p, "")->size(), 1u);
  EXPECT_EQ(store().list_scope("", "")->size(), 1u);
  EXPECT_EQ(store().list_all()->size(), 4u);
  auto applying = store().applying_to(p, "Production");
  ASSERT_TRUE(applying.ok());
  EXPECT_EQ(applying->size(), 3u);
  EXPECT_EQ(store().applying_to(p, "Staging")->size(), 2u);
  EXPECT_EQ(store().applying_to("", "")->size(), 1u);
  EXPECT_EQ(store().for_project(p)->size(), 3u);
  EXPECT_EQ(store().for_project(other)->size(), 2u);
}

TEST_F(FreezeWindowStoreTest, CheckSeesTheSameScopeAndRefusesWithoutWriting) {
  const std::string p = create_project();
  ASSERT_TRUE(store().create(window(p, "Staging", "first")).ok());
  size_t seen = 99;
  auto refused = store().create(window(p, "Staging", "second"),
                                [&](const std::vector<FreezeWindowRecord>& same) -> Status {
                                  seen = same.size();
                                  return Error::conflict("overlaps", "start");
                                });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(seen, 1u);
  EXPECT_EQ(store().list_scope(p, "Staging")->size(), 1u);
  EXPECT_EQ(store().create(window("missing", "", "x")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().create(window("", "Staging", "x")).error().field, "project_id");
}

TEST_F(FreezeWindowStoreTest, RemoveOnlyWithinItsScope) {
  const std::string p = create_project();
  auto w = store().create(window(p, "Staging", "x"));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(store().remove(w->id, p, "Production").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().remove(w->id, "", "").error().code, ErrorCode::kNotFound);
  std::string audited;
  ASSERT_TRUE(store()
                  .remove(w->id, p, "Staging",
                          [&](SqlSession&, const FreezeWindowRecord& r) -> Status {
                            audited = r.reason;
                            return {};
                          })
                  .ok());
  EXPECT_EQ(audited, "x");
  EXPECT_EQ(store().find(w->id).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace opz::store
