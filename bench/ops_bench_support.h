// What the telemetry benchmarks (ops_metrics_ingest_bench, ops_rollup_bench,
// advisory_scan_bench) share: a migrated database in a temporary directory
// with the stores and the ApiContext the ops routes use (as the server wires
// them, minus the engine), the routes registered on a Router so a benchmark
// calls a real handler without sockets, a plain sqlite3 connection to the
// same file for the anchors, and per-call latency percentiles.
#pragma once

#include <benchmark/benchmark.h>

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/api_context.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "core/clock.h"
#include "core/ids.h"
#include "http/router.h"
#include "store/database.h"
#include "store/project_store.h"
#include "store/user_store.h"
#include "telemetry/metrics.h"

namespace opz::bench {

inline void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

// A fresh migrated database with every route registered; removed on destruction.
class OpsBenchServer {
 public:
  OpsBenchServer()
      : dir_(std::filesystem::temp_directory_path() / ("opz-ops-bench-" + random_hex(6))) {
    std::filesystem::create_directories(dir_);
    spdlog::set_level(spdlog::level::warn);  // not the migrations' lines
    auto db = store::Database::open_sqlite({.path = path()});
    require(db.ok(), "open database");
    db_ = std::move(db).value();
    require(db_->migrate().ok(), "migrate");
    users_ = std::make_unique<store::UserStore>(*db_, clock_);
    projects_ = std::make_unique<store::ProjectStore>(*db_, clock_);
    authn_ = std::make_unique<auth::Authenticator>(*users_, clock_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    ctx_ = std::unique_ptr<api::ApiContext>(new api::ApiContext{
        *db_, clock_, *users_, *projects_, *authn_, *audit_, metrics_, nullptr, "bench", nullptr});
    ctx_->ops_ingest_token = "bench-ingest-token";
    ctx_->ops_advisory_scan_token = "bench-scan-token";
    require(api::register_all_routes(router_, *ctx_).ok(), "register routes");
    auto org = projects_->create_organization("Bench", "bench", "");
    require(org.ok(), "create organization");
    org_id_ = org->id;
  }
  ~OpsBenchServer() {
    if (raw_) sqlite3_close(raw_);
    ctx_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  OpsBenchServer(const OpsBenchServer&) = delete;
  OpsBenchServer& operator=(const OpsBenchServer&) = delete;

  std::string path() const { return (dir_ / "bench.db").string(); }
  store::Database& db() { return *db_; }
  api::ApiContext& ctx() { return *ctx_; }
  const Clock& clock() const { return clock_; }

  std::string create_project(const std::string& name) {
    store::ProjectFields f;
    f.organization_id = org_id_;
    f.name = name;
    auto p = projects_->create_project(f, "bench");
    require(p.ok(), "create project " + name);
    return p->id;
  }

  // POSTs `body` to `path` through the registered handler; answers the status.
  int post(const std::string& path, const std::string& header, const std::string& token,
           const std::string& body) {
    auto m = router_.match("POST", path);
    require(m.found(), "route " + path);
    http::Request req;
    req.method = "POST";
    req.path = path;
    req.path_params = m.params;
    req.headers.add(header, token);
    req.headers.add("Content-Type", "application/json");
    req.body = body;
    return (*m.handler)(req).status;
  }

  // A plain sqlite3 connection to the same file, for the anchors.
  sqlite3* raw() {
    if (!raw_) {
      require(sqlite3_open(path().c_str(), &raw_) == SQLITE_OK, "open raw connection");
      // The settings of the store's own connections (store/sqlite_session.cc).
      sqlite3_exec(raw_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                         "PRAGMA busy_timeout=5000",
                   nullptr, nullptr, nullptr);
    }
    return raw_;
  }
  void exec_raw(const char* sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(raw(), sql, nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    require(rc == SQLITE_OK, std::string(sql).substr(0, 60) + ": " + message);
  }

 private:
  std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::UserStore> users_;
  std::unique_ptr<store::ProjectStore> projects_;
  std::unique_ptr<auth::Authenticator> authn_;
  std::unique_ptr<audit::AuditLog> audit_;
  telemetry::MetricsRegistry metrics_;
  std::unique_ptr<api::ApiContext> ctx_;
  http::Router router_;
  std::string org_id_;
  sqlite3* raw_ = nullptr;
};

// Per-call durations, for percentiles a benchmark reports as counters.
class Latencies {
 public:
  void add(std::chrono::steady_clock::duration d) {
    us_.push_back(std::chrono::duration<double, std::micro>(d).count());
  }
  // The q-quantile (0..1) in microseconds; 0 when nothing was recorded.
  double quantile_us(double q) {
    if (us_.empty()) return 0;
    std::sort(us_.begin(), us_.end());
    const size_t i = std::min(us_.size() - 1, static_cast<size_t>(q * static_cast<double>(us_.size())));
    return us_[i];
  }

 private:
  std::vector<double> us_;
};

// Items per second for `items` per iteration, and the p50/p99 latencies as counters.
inline void report_latencies(benchmark::State& state, Latencies& latencies, int items) {
  state.SetItemsProcessed(state.iterations() * items);
  state.counters["p50_us"] = latencies.quantile_us(0.50);
  state.counters["p99_us"] = latencies.quantile_us(0.99);
}

}  // namespace opz::bench
