// Rollup refresh (issue 13, seed 003's metrics rollup): OpsMetricsStore::
// refresh_rollups() folding 10 million stored samples into the 1-minute and
// 1-hour rollup tables (one transaction, both resolutions), against two
// anchors over the same table: the brief's plain
//   SELECT metric, count(*), avg(value) FROM ops_metrics GROUP BY metric
// and the same two GROUP BYs the refresh computes (per project, metric and
// minute / hour bucket) read without writing them anywhere — over a table scan
// (NOT INDEXED), as the refresh reads: left to itself SQLite's planner walks
// the (project_id, metric, ts) index for that GROUP BY and fetches every
// row's value by rowid, which is slower than the refresh itself.
// BM_RollupRefreshIncremental: 100 new samples after a full refresh (what the
// ingest route pays on every request).
//
// The samples (10 projects x 10 metrics x 100,000 timestamps 6 s apart, about
// a week) are generated once in ONE INSERT … SELECT over a recursive CTE on a
// plain connection; the generation time is reported on stderr and as the
// counter generation_s, apart from the figures. OPZ_ROLLUP_SAMPLES overrides
// the 10,000,000 (a multiple of 100). Results: docs/performance.md "Telemetry".
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/time_format.h"
#include "ops_bench_support.h"
#include "store/ops_metrics_store.h"

namespace {

using opz::bench::OpsBenchServer;

struct Fixture {
  std::unique_ptr<OpsBenchServer> server;
  std::string first_project;
  int64_t samples = 0;
  double generation_s = 0;
};

int64_t wanted_samples() {
  const char* env = std::getenv("OPZ_ROLLUP_SAMPLES");
  const int64_t n = env ? std::atoll(env) : 10'000'000;
  return n >= 100 ? n - n % 100 : 100;
}

// The shared database with the samples, built on first use.
Fixture& fixture() {
  static Fixture f = [] {
    Fixture made;
    made.server = std::make_unique<OpsBenchServer>();
    for (int i = 0; i < 10; ++i) {
      std::string id = made.server->create_project("rollup-" + std::to_string(i));
      if (i == 0) made.first_project = id;
    }
    made.samples = wanted_samples();
    const int64_t timestamps = made.samples / 100;
    const std::string sql =
        "INSERT INTO ops_metrics (project_id, metric, value, ts, created_at) "
        "WITH RECURSIVE t(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM t WHERE k < " +
        std::to_string(timestamps - 1) +
        "), m(name) AS (VALUES ('cpu_pct'), ('mem_mb'), ('http_5xx_rate'), ('error_rate'), "
        "('rpc_p95_ms'), ('pod_restarts'), ('http_429_rate'), ('db_pool_pct'), "
        "('queue_depth'), ('disk_pct')) "
        "SELECT p.id, m.name, (t.k % 97) * 1.5, "
        "strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + t.k * 6, 'unixepoch'), "
        "'2026-01-08T00:00:00.000Z' FROM t CROSS JOIN projects p CROSS JOIN m";
    const auto t0 = std::chrono::steady_clock::now();
    made.server->exec_raw("BEGIN IMMEDIATE");
    made.server->exec_raw(sql.c_str());
    made.server->exec_raw("COMMIT");
    made.generation_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "generated %lld samples in %.1f s (one transaction)\n",
                 static_cast<long long>(made.samples), made.generation_s);
    return made;
  }();
  return f;
}

// Forgets the rollups, so the next refresh folds every sample again.
void reset_rollups(OpsBenchServer& server) {
  server.exec_raw("BEGIN IMMEDIATE");
  server.exec_raw("DELETE FROM ops_metric_rollups_1m");
  server.exec_raw("DELETE FROM ops_metric_rollups_1h");
  server.exec_raw("UPDATE ops_rollup_state SET last_metric_id = 0");
  server.exec_raw("COMMIT");
}

void add_counters(benchmark::State& state, const Fixture& f) {
  state.counters["samples"] = static_cast<double>(f.samples);
  state.counters["generation_s"] = f.generation_s;
}

void BM_RollupRefreshFull(benchmark::State& state) {
  Fixture& f = fixture();
  opz::store::OpsMetricsStore store(f.server->db(), f.server->clock());
  for (auto _ : state) {
    state.PauseTiming();
    reset_rollups(*f.server);
    state.ResumeTiming();
    auto folded = store.refresh_rollups(f.server->clock().now());
    if (!folded.ok() || *folded != f.samples) {
      state.SkipWithError(folded.ok() ? "folded fewer samples than stored"
                                      : folded.error().to_string().c_str());
      break;
    }
  }
  add_counters(state, f);
}

// Runs `sql` to the end on the plain connection; answers the rows read.
int64_t read_all(OpsBenchServer& server, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(server.raw(), sql, -1, &stmt, nullptr);
  int64_t rows = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
  sqlite3_finalize(stmt);
  return rows;
}

void BM_AnchorGroupByMetric(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    const int64_t rows = read_all(
        *f.server, "SELECT metric, count(*), avg(value) FROM ops_metrics GROUP BY metric");
    if (rows != 10) state.SkipWithError("expected 10 metrics");
  }
  add_counters(state, f);
}

void BM_AnchorMinuteAndHourGroupBys(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    read_all(*f.server,
             "SELECT project_id, metric, substr(ts, 1, 16), count(*), sum(value), min(value), "
             "max(value) FROM ops_metrics NOT INDEXED GROUP BY project_id, metric, substr(ts, 1, 16)");
    read_all(*f.server,
             "SELECT project_id, metric, substr(ts, 1, 13), count(*), sum(value), min(value), "
             "max(value) FROM ops_metrics NOT INDEXED GROUP BY project_id, metric, substr(ts, 1, 13)");
  }
  add_counters(state, f);
}

void BM_RollupRefreshIncremental(benchmark::State& state) {
  Fixture& f = fixture();
  opz::store::OpsMetricsStore store(f.server->db(), f.server->clock());
  if (!store.refresh_rollups(f.server->clock().now()).ok()) state.SkipWithError("catch up");
  std::vector<opz::store::OpsSample> samples;
  for (int i = 0; i < 100; ++i) samples.push_back({"metric_" + std::to_string(i), 1.0 * i});
  const std::string ts = "2026-01-08T00:00:00.000Z";
  for (auto _ : state) {
    state.PauseTiming();
    if (!store.insert(f.first_project, ts, samples).ok()) state.SkipWithError("insert");
    state.ResumeTiming();
    auto folded = store.refresh_rollups(f.server->clock().now());
    if (!folded.ok() || *folded != 100) {
      state.SkipWithError("refresh did not fold the 100 new samples");
      break;
    }
  }
  add_counters(state, f);
}

BENCHMARK(BM_RollupRefreshFull)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AnchorGroupByMetric)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AnchorMinuteAndHourGroupBys)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RollupRefreshIncremental)->Iterations(200)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
