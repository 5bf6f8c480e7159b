#include "store/advisory_store.h"

#include <gtest/gtest.h>

#include "migrated_db_test.h"

namespace opz::store {
namespace {

class AdvisoryStoreScanTest : public MigratedDbTest {
 protected:
  Result<AdvisoryScanChanges> scan(AdvisoryStore& store, const std::string& project,
                                   const std::vector<std::string>& rules,
                                   const std::vector<AdvisoryFindingRow>& findings) {
    return db_->write([&](SqlSession& tx) {
      return store.record_scan_in(tx, project, rules, findings);
    });
  }
};

TEST_F(AdvisoryStoreScanTest, AnswersWhatItOpenedAndResolvedOncePerCondition) {
  AdvisoryStore store(*db_, clock_);
  const std::string p = create_project();
  const std::vector<std::string> rules{"error_rate", "pod_restarts"};
  AdvisoryFindingRow err{"error_rate", "critical", "Error rate above 1%", "avg 2", 2.0, 1.0};
  AdvisoryFindingRow pods{"pod_restarts", "warning", "Restarts", "4", 4.0, 3.0};

  auto first = scan(store, p, rules, {err, pods});
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(first->opened.size(), 2u);
  EXPECT_EQ(first->opened[0].rule, "error_rate");
  EXPECT_EQ(first->opened[0].status, "open");
  EXPECT_EQ(first->opened[0].project_id, p);
  EXPECT_TRUE(first->resolved.empty());
  EXPECT_EQ(*store.projects_with_open_advisories(), std::set<std::string>{p});

  clock_.advance(std::chrono::minutes(1));
  err.observed = 3.0;
  auto again = scan(store, p, rules, {err});  // error rate still high, restarts cleared
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->opened.empty());
  ASSERT_EQ(again->resolved.size(), 1u);
  EXPECT_EQ(again->resolved[0].rule, "pod_restarts");
  EXPECT_EQ(again->resolved[0].status, "resolved");
  EXPECT_FALSE(again->resolved[0].resolved_at.empty());
  auto open = store.list(p, "open");
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].observed, 3.0);
  EXPECT_EQ((*open)[0].id, first->opened[0].id);

  // A rule not evaluated this time keeps its advisory open.
  auto partial = scan(store, p, {"pod_restarts"}, {});
  ASSERT_TRUE(partial.ok());
  EXPECT_TRUE(partial->resolved.empty());
  EXPECT_EQ(store.list(p, "open")->size(), 1u);

  auto cleared = scan(store, p, rules, {});
  ASSERT_EQ(cleared->resolved.size(), 1u);
  EXPECT_EQ(cleared->resolved[0].rule, "error_rate");
  EXPECT_TRUE(store.projects_with_open_advisories()->empty());
  EXPECT_EQ(store.list(p)->size(), 2u);
}

TEST_F(AdvisoryStoreScanTest, AFailedTransactionLeavesNoAdvisory) {
  AdvisoryStore store(*db_, clock_);
  const std::string p = create_project();
  AdvisoryFindingRow err{"error_rate", "critical", "t", "m", 2.0, 1.0};
  Status failed = db_->write([&](SqlSession& tx) -> Status {
    OPZ_TRY_STATUS(store.record_scan_in(tx, p, {"error_rate"}, {err}));
    return Error::internal("the notification could not be written");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(store.list(p)->empty());
}

class AdvisoryRuleSettingsTest : public MigratedDbTest {
 protected:
  Result<AdvisoryRuleSettingRow> change(AdvisoryStore& store, const AdvisoryRuleSettingChange& c) {
    return db_->write([&](SqlSession& tx) { return store.change_rule_setting_in(tx, c); });
  }
};

TEST_F(AdvisoryRuleSettingsTest, ChangesOnlyTheNamedFieldsAndNullInheritsAgain) {
  AdvisoryStore store(*db_, clock_);
  const std::string p = create_project();
  AdvisoryRuleSettingChange global;
  global.rule = "error_rate";
  global.threshold = std::optional<double>(2.5);
  global.severity = std::optional<std::string>("warning");
  global.updated_by = "admin-1";
  auto row = change(store, global);
  ASSERT_TRUE(row.ok()) << row.error().to_string();
  EXPECT_EQ(row->project_id, "");
  EXPECT_EQ(row->threshold, 2.5);
  EXPECT_EQ(row->severity, "warning");
  EXPECT_FALSE(row->window_seconds.has_value());
  EXPECT_FALSE(row->enabled.has_value());

  AdvisoryRuleSettingChange only_enabled;
  only_enabled.rule = "error_rate";
  only_enabled.enabled = std::optional<bool>(false);
  only_enabled.threshold = std::optional<double>();  // clear
  row = change(store, only_enabled);
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(row->threshold.has_value());
  EXPECT_EQ(row->severity, "warning");  // untouched
  EXPECT_EQ(row->enabled, false);

  AdvisoryRuleSettingChange for_project;
  for_project.rule = "error_rate";
  for_project.project_id = p;
  for_project.window_seconds = std::optional<int64_t>(900);
  ASSERT_TRUE(change(store, for_project).ok());

  auto all = store.rule_settings();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);  // one row per scope, however often changed
  EXPECT_EQ((*all)[0].project_id, "");
  EXPECT_EQ((*all)[1].project_id, p);
  EXPECT_EQ((*all)[1].window_seconds, 900);
  EXPECT_EQ(store.rule_settings_for(p)->size(), 2u);
  EXPECT_EQ(store.rule_settings_for(create_project("other"))->size(), 1u);
}

}  // namespace
}  // namespace opz::store
