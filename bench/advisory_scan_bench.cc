// The advisory scan (issue 13, seed 003's ops-advisory-scan) over 1,000
// projects with metrics: api::run_advisory_scan(), the code behind POST
// /functions/v1/ops-advisory-scan and the scheduled scan (rollup refresh, then
// per project the rules' facts — deployments, long-running executions, the
// metric windows — the pure rules, and the findings recorded), against two
// anchors that read the same metric rows on a plain connection: one GROUP BY
// over every project's 5-minute window, and the window read per project with
// a prepared statement (the scan's own access pattern, without the rules and
// writes).
//
// Data: 1,000 projects, 8 metrics x 10 samples each in the last 3 minutes
// (80,000 rows); every tenth project has an error rate over the 1 % threshold,
// so 100 advisories are open. BM_AdvisoryScan/fresh:1 deletes them before
// each scan (the scan opens 100); fresh:0 is the steady state (they stay open
// and are updated). Results: docs/performance.md "Telemetry".
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/scheduled_checks.h"
#include "core/time_format.h"
#include "ops_bench_support.h"

namespace {

using opz::bench::OpsBenchServer;
constexpr int kProjects = 1000;

struct Fixture {
  std::unique_ptr<OpsBenchServer> server;
  std::vector<std::string> projects;
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture made;
    made.server = std::make_unique<OpsBenchServer>();
    for (int i = 0; i < kProjects; ++i)
      made.projects.push_back(made.server->create_project("scan-" + std::to_string(i)));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         made.server->clock().now().time_since_epoch())
                         .count();
    const std::string sql =
        "INSERT INTO ops_metrics (project_id, metric, value, ts, created_at) "
        "WITH RECURSIVE t(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM t WHERE k < 9), "
        "m(name, healthy) AS (VALUES ('error_rate_pct', 0.5), ('http_5xx_pct', 1.0), "
        "('pod_restarts', 0.0), ('http_429_pct', 1.0), ('rpc_p95_ms', 100.0), "
        "('db_pool_pct', 50.0), ('migration_duration_s', 30.0), ('cpu_pct', 40.0)) "
        "SELECT p.id, m.name, CASE WHEN m.name = 'error_rate_pct' AND p.rowid % 10 = 0 "
        "THEN 5.0 ELSE m.healthy END, "
        "strftime('%Y-%m-%dT%H:%M:%fZ', " + std::to_string(now) + " - t.k * 20, 'unixepoch'), "
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM t CROSS JOIN projects p CROSS JOIN m";
    made.server->exec_raw("BEGIN IMMEDIATE");
    made.server->exec_raw(sql.c_str());
    made.server->exec_raw("COMMIT");
    return made;
  }();
  return f;
}

void BM_AdvisoryScan(benchmark::State& state) {
  Fixture& f = fixture();
  const bool fresh = state.range(0) != 0;
  int64_t opened = 0;
  for (auto _ : state) {
    if (fresh) {
      state.PauseTiming();
      f.server->exec_raw("DELETE FROM ops_advisories");
      state.ResumeTiming();
    }
    auto created = opz::api::run_advisory_scan(f.server->ctx());
    if (!created.ok()) {
      state.SkipWithError(created.error().to_string().c_str());
      break;
    }
    opened = *created;
  }
  state.counters["projects"] = kProjects;
  state.counters["advisories_opened_last_scan"] = static_cast<double>(opened);
}

void BM_AnchorOneGroupBy(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string sql =
      "SELECT project_id, metric, count(*), sum(value), max(value) FROM ops_metrics "
      "WHERE ts >= ?1 AND ts < ?2 GROUP BY project_id, metric";
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(f.server->raw(), sql.c_str(), -1, &stmt, nullptr);
  int64_t rows = 0;
  for (auto _ : state) {
    const auto now = f.server->clock().now();
    const std::string from = opz::format_time(now - std::chrono::minutes(5));
    const std::string to = opz::format_time(now + std::chrono::milliseconds(1));
    sqlite3_bind_text(stmt, 1, from.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, to.c_str(), -1, SQLITE_TRANSIENT);
    rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  state.counters["groups"] = static_cast<double>(rows);
}

void BM_AnchorPerProjectReads(benchmark::State& state) {
  Fixture& f = fixture();
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(f.server->raw(),
                     "SELECT metric, count(*), sum(value), max(value) FROM ops_metrics "
                     "WHERE project_id = ?1 AND ts >= ?2 AND ts < ?3 GROUP BY metric",
                     -1, &stmt, nullptr);
  int64_t rows = 0;
  for (auto _ : state) {
    const auto now = f.server->clock().now();
    const std::string from = opz::format_time(now - std::chrono::minutes(5));
    const std::string to = opz::format_time(now + std::chrono::milliseconds(1));
    rows = 0;
    f.server->exec_raw("BEGIN");
    for (const std::string& project : f.projects) {
      sqlite3_bind_text(stmt, 1, project.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(stmt, 2, from.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(stmt, 3, to.c_str(), -1, SQLITE_TRANSIENT);
      while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
      sqlite3_reset(stmt);
    }
    f.server->exec_raw("COMMIT");
  }
  sqlite3_finalize(stmt);
  state.counters["groups"] = static_cast<double>(rows);
}

BENCHMARK(BM_AdvisoryScan)->Arg(1)->Arg(0)->ArgName("fresh")->Iterations(5)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AnchorOneGroupBy)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AnchorPerProjectReads)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
