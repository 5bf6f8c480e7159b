// Shared by the trigger tests: a migrated SQLite database in a temp dir with
// one project, the trigger stores, a recording fake ExecutionSubmitter, and
// builders for small but complete GitHub payloads.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/time_format.h"
#include "store/branch_mapping_store.h"
#include "store/commit_status_store.h"
#include "store/database.h"
#include "store/execution_store.h"
#include "store/git_poll_store.h"
#include "store/github_store.h"
#include "store/project_store.h"
#include "store/webhook_delivery_store.h"
#include "support/temp_dir.h"
#include "trigger/execution_submitter.h"

namespace opz::trigger::testing {

// The row the engine would create for `n` (the fields triggers set).
inline store::ExecutionRecord execution_row(const engine::NewExecution& n, std::string status) {
  store::ExecutionRecord e;
  e.id = new_uuid();
  e.name = n.name;
  e.project_id = n.project_id;
  e.status = std::move(status);
  e.environment = n.environment;
  e.branch = n.branch;
  e.commit_hash = n.commit_sha;
  e.started_by = n.started_by;
  e.trigger_type = n.trigger_type;
  e.governance_status = n.governance_status;
  e.metadata = n.metadata;
  e.created_at = e.updated_at = format_time(SystemClock::instance().now());
  return e;
}

// Records every request; creates a real execution row (so lookups by
// metadata work) unless told to fail.
class RecordingSubmitter final : public ExecutionSubmitter {
 public:
  explicit RecordingSubmitter(store::Database& db) : executions_(db) {}
  Result<store::ExecutionRecord> submit(AdmissionRequest admission) override {
    engine::NewExecution request = std::move(admission.execution);
    std::lock_guard lock(mu_);
    admissions_.push_back(admission.request);
    if (fail_with_) return *fail_with_;
    store::ExecutionRecord e = execution_row(request, "idle");
    OPZ_TRY_STATUS(executions_.create(e, {}));
    requests_.push_back(std::move(request));
    return e;
  }
  std::vector<governance::ExecutionRequest> admissions() const {
    std::lock_guard lock(mu_);
    return admissions_;
  }
  std::vector<engine::NewExecution> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void fail_with(std::optional<Error> e) {
    std::lock_guard lock(mu_);
    fail_with_ = std::move(e);
  }

 private:
  mutable std::mutex mu_;
  store::ExecutionStore executions_;
  std::vector<engine::NewExecution> requests_;
  std::vector<governance::ExecutionRequest> admissions_;
  std::optional<Error> fail_with_;
};

class TriggerDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::open_sqlite({.path = dir_.str() + "/t.db"});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().ok());
    projects_ = std::make_unique<store::ProjectStore>(*db_, clock_);
    ASSERT_TRUE(projects_->create_organization("Org", "org", "").ok());
    store::ProjectFields f;
    f.name = "demo";
    f.git_url = "/srv/git/demo.git";
    auto p = projects_->create_project(f, "creator-id");
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    project_ = *p;
    submitter_ = std::make_unique<RecordingSubmitter>(*db_);
  }

  // The clock the stores use: real time, so rows order like in production.
  const Clock& clock_ = SystemClock::instance();
  opz::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::ProjectStore> projects_;
  store::ProjectRecord project_;
  std::unique_ptr<RecordingSubmitter> submitter_;
};

inline Json repository_json(const std::string& owner = "octo", const std::string& name = "demo") {
  return {{"id", 1},
          {"name", name},
          {"full_name", owner + "/" + name},
          {"owner", {{"login", owner}}},
          {"clone_url", "https://github.com/" + owner + "/" + name + ".git"},
          {"html_url", "https://github.com/" + owner + "/" + name},
          {"default_branch", "main"}};
}

inline std::string sha_of(char c) { return std::string(40, c); }

inline std::string push_payload(const std::string& ref, const std::string& after,
                                const std::string& owner = "octo") {
  Json j = {{"ref", ref},
            {"before", sha_of('0')},
            {"after", after},
            {"created", false},
            {"deleted", after == sha_of('0')},
            {"forced", false},
            {"commits", Json::array({{{"id", after}, {"message", "change"}}})},
            {"head_commit",
             {{"id", after}, {"message", "change"}, {"timestamp", "2026-12-05T10:00:00+01:00"}}},
            {"pusher", {{"name", "mona"}}},
            {"repository", repository_json(owner)},
            {"sender", {{"login", "mona"}}}};
  if (after == sha_of('0')) j["head_commit"] = nullptr;
  return j.dump();
}

inline std::string pull_request_payload(const std::string& action, int number,
                                        const std::string& head_ref, const std::string& sha) {
  Json j = {{"action", action},
            {"number", number},
            {"pull_request",
             {{"title", "Add things"},
              {"head", {{"sha", sha}, {"ref", head_ref}}},
              {"base", {{"ref", "main"}}},
              {"merged", false},
              {"html_url", "https://github.com/octo/demo/pull/" + std::to_string(number)}}},
            {"repository", repository_json()},
            {"sender", {{"login", "hubot"}}}};
  return j.dump();
}

inline std::string create_tag_payload(const std::string& tag) {
  return Json{{"ref", tag},
              {"ref_type", "tag"},
              {"master_branch", "main"},
              {"repository", repository_json()},
              {"sender", {{"login", "mona"}}}}
      .dump();
}

inline std::string release_payload(const std::string& action, const std::string& tag) {
  return Json{{"action", action},
              {"release",
               {{"tag_name", tag},
                {"target_commitish", "main"},
                {"name", "Release " + tag},
                {"draft", false},
                {"prerelease", false},
                {"html_url", "https://github.com/octo/demo/releases/" + tag}}},
              {"repository", repository_json()},
              {"sender", {{"login", "mona"}}}}
      .dump();
}

inline std::string workflow_run_payload(const std::string& action, int64_t id,
                                        const std::string& branch, const std::string& conclusion,
                                        const std::string& path = ".github/workflows/deploy.yml") {
  return Json{{"action", action},
              {"workflow_run",
               {{"id", id},
                {"name", "Deploy"},
                {"head_sha", sha_of('d')},
                {"head_branch", branch},
                {"status", action == "completed" ? "completed" : "in_progress"},
                {"conclusion", conclusion.empty() ? Json(nullptr) : Json(conclusion)},
                {"workflow_id", 77},
                {"path", path},
                {"event", "workflow_dispatch"},
                {"run_number", 5},
                {"html_url", "https://github.com/octo/demo/actions/runs/" + std::to_string(id)}}},
              {"repository", repository_json()},
              {"sender", {{"login", "mona"}}}}
      .dump();
}

}  // namespace opz::trigger::testing
