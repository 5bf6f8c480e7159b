// EngineFixture: a real Engine on a real LocalRunner and a temporary SQLite
// database, plus the helpers engine tests share (submit a YAML pipeline, wait
// until an execution finishes, read back rows, logs and events).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/event_bus.h"
#include "engine/sql_execution_journal.h"
#include "pipeline/pipeline_yaml.h"
#include "runner/local_runner.h"
#include "store/database.h"
#include "store/execution_history_store.h"
#include "store/execution_store.h"
#include "support/temp_dir.h"

namespace opz::engine {

class EngineFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::open_sqlite({.path = dir_.str() + "/opz.db"});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().ok());
    journal_ = std::make_unique<SqlExecutionJournal>(*db_);
    executions_ = std::make_unique<store::ExecutionStore>(*db_);
    history_ = std::make_unique<store::ExecutionHistoryStore>(*db_);
    options_.data_dir = dir_.str() + "/data";
    options_.kill_grace = std::chrono::milliseconds(300);
    options_.log_flush_interval = std::chrono::milliseconds(10);
    options_.max_parallel = 4;
    events_ = bus_.subscribe({}, 1 << 20);
  }

  void TearDown() override {
    if (engine_) engine_->stop();
    runner_.shutdown();
  }

  // Creates and starts the engine with options_ as they are now.
  void start_engine() {
    engine_ = std::make_unique<Engine>(*journal_, runner_, bus_, SystemClock::instance(), options_,
                                       metrics_registry_);
    for (auto& [type, handler] : handlers_) engine_->register_external_handler(type, handler);
    engine_->start();
  }

  static pipeline::Pipeline parse(const std::string& yaml) {
    auto p = pipeline::parse_pipeline_yaml(yaml);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().to_string());
    return p.ok() ? std::move(p).value() : pipeline::Pipeline{};
  }

  NewExecution request(const std::string& yaml) {
    NewExecution r;
    r.pipeline = parse(yaml);
    r.branch = "main";
    r.commit_sha = "0123456789abcdef0123456789abcdef01234567";
    r.environment = "Development";
    r.started_by = "tester";
    return r;
  }

  std::string submit(const std::string& yaml) { return submit(request(yaml)); }
  std::string submit(NewExecution r) {
    auto record = engine_->submit(std::move(r));
    EXPECT_TRUE(record.ok()) << (record.ok() ? "" : record.error().to_string());
    return record.ok() ? record->id : "";
  }

  // Polls the database until the execution is in a terminal state.
  std::string wait_finished(const std::string& id,
                            std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return wait_status(id, {"success", "warning", "failed", "cancelled"}, timeout);
  }

  std::string wait_status(const std::string& id, const std::vector<std::string>& wanted,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string status;
    while (std::chrono::steady_clock::now() < deadline) {
      auto e = executions_->find(id, false);
      if (e.ok()) {
        status = e->status;
        for (const auto& w : wanted)
          if (w == status) return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "execution " << id << " still " << status << " after " << timeout.count()
                  << " ms";
    return status;
  }

  // Polls until node `node_id` has `status`.
  bool wait_node(const std::string& id, const std::string& node_id, const std::string& status,
                 std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (node(id, node_id).status == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  store::ExecutionDetail detail(const std::string& id) {
    auto d = executions_->get(id);
    EXPECT_TRUE(d.ok());
    return d.ok() ? std::move(d).value() : store::ExecutionDetail{};
  }

  store::ExecutionNodeRecord node(const std::string& id, const std::string& node_id) {
    for (auto& n : detail(id).nodes)
      if (n.node_id == node_id) return n;
    return {};
  }

  std::vector<std::string> log_messages(const std::string& id, const std::string& node_id,
                                        const std::string& stream = "") {
    std::vector<std::string> out;
    auto lines = history_->logs({.execution_id = id, .node_id = node_id, .limit = 10000});
    EXPECT_TRUE(lines.ok());
    if (!lines.ok()) return out;
    for (const auto& l : *lines)
      if (stream.empty() || l.stream == stream) out.push_back(l.message);
    return out;
  }

  // The execution's state events and node errors, for failure messages.
  std::string describe(const std::string& id) {
    std::string out;
    if (auto events = history_->state_events(id))
      for (const auto& e : *events)
        out += (e.node_id.empty() ? "execution" : e.node_id) + ": " + e.old_state + " -> " +
               e.new_state + " (" + e.reason + ")\n";
    for (const auto& n : detail(id).nodes)
      if (!n.error.empty()) out += n.node_id + " error: " + n.error + "\n";
    return out;
  }

  // Every event received so far (drains the fixture's subscription).
  std::vector<std::shared_ptr<const EngineEvent>>& events() {
    for (auto& e : events_->drain()) seen_.push_back(e);
    return seen_;
  }

  // Every event received so far, once the bus has delivered the terminal
  // state of execution `id` (it publishes just AFTER the commit that
  // wait_finished() polls for, so a test reading the bus waits for this).
  std::vector<std::shared_ptr<const EngineEvent>>& events_through_finish(
      const std::string& id, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto finishes = [&](const EngineEvent& e) {
      return e.kind == EventKind::kExecutionState && e.execution_id == id &&
             (e.new_state == "success" || e.new_state == "warning" || e.new_state == "failed" ||
              e.new_state == "cancelled");
    };
    for (const auto& e : events())
      if (finishes(*e)) return seen_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto e = events_->next(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!e) break;
      seen_.push_back(*e);
      if (finishes(**e)) return seen_;
    }
    ADD_FAILURE() << "the bus did not deliver the end of execution " << id;
    return seen_;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<SqlExecutionJournal> journal_;
  std::unique_ptr<store::ExecutionStore> executions_;
  std::unique_ptr<store::ExecutionHistoryStore> history_;
  runner::LocalRunner runner_;
  EventBus bus_;
  EngineOptions options_;
  telemetry::MetricsRegistry* metrics_registry_ = nullptr;  // the engine's, when a test reads them
  std::map<std::string, std::shared_ptr<ExternalNodeHandler>> handlers_;
  std::unique_ptr<Engine> engine_;
  std::shared_ptr<EventSubscription> events_;
  std::vector<std::shared_ptr<const EngineEvent>> seen_;
};

}  // namespace opz::engine
