// Metrics ingest (issue 13, seed 003): the seed's body — 2 samples, and a
// 100-sample batch — through POST /functions/v1/ops-metrics-ingest's real
// handler (token check, JSON parse, validation of every sample, ONE
// transaction of inserts, then the incremental rollup refresh it runs after
// each request), against the anchor of plain prepared INSERTs of the same
// rows in one transaction on a plain sqlite3 connection to the same file.
// BM_IngestStoreOnly is the store's insert alone (validation and the rollup
// refresh left out), to show where the route's time goes.
// Reports samples/s (items_per_second) and per-request p50/p99 (µs).
// Results and the command: docs/performance.md "Telemetry".
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "ops_bench_support.h"
#include "core/time_format.h"
#include "store/ops_metrics_store.h"

namespace {

using opz::bench::Latencies;
using opz::bench::OpsBenchServer;
using Steady = std::chrono::steady_clock;

// The seed's two samples, or n samples of distinct metrics.
std::vector<opz::store::OpsSample> samples_of(int n) {
  if (n == 2) return {{"cpu_pct", 45.2}, {"mem_mb", 1024}};
  std::vector<opz::store::OpsSample> out;
  for (int i = 0; i < n; ++i) out.push_back({"metric_" + std::to_string(i), 10.0 + i});
  return out;
}

std::string body_of(const std::string& project, const std::string& ts,
                    const std::vector<opz::store::OpsSample>& samples) {
  std::string body = R"({"project_id": ")" + project + R"(", "ts": ")" + ts + R"(", "samples": [)";
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i) body += ", ";
    body += R"({"metric": ")" + samples[i].metric + R"(", "value": )" +
            std::to_string(samples[i].value) + "}";
  }
  return body + "]}";
}

void BM_IngestRoute(benchmark::State& state) {
  OpsBenchServer server;
  const std::string project = server.create_project("ingest");
  const auto samples = samples_of(static_cast<int>(state.range(0)));
  const std::string body = body_of(project, opz::format_time(server.clock().now()), samples);
  Latencies latencies;
  for (auto _ : state) {
    const auto t0 = Steady::now();
    const int status = server.post("/functions/v1/ops-metrics-ingest", "x-ops-ingest-token",
                                   "bench-ingest-token", body);
    latencies.add(Steady::now() - t0);
    if (status != 200) {
      state.SkipWithError(("ingest answered " + std::to_string(status)).c_str());
      break;
    }
  }
  report_latencies(state, latencies, static_cast<int>(samples.size()));
}

void BM_IngestStoreOnly(benchmark::State& state) {
  OpsBenchServer server;
  const std::string project = server.create_project("ingest");
  const auto samples = samples_of(static_cast<int>(state.range(0)));
  const std::string ts = opz::format_time(server.clock().now());
  opz::store::OpsMetricsStore store(server.db(), server.clock());
  Latencies latencies;
  for (auto _ : state) {
    const auto t0 = Steady::now();
    auto n = store.insert(project, ts, samples);
    latencies.add(Steady::now() - t0);
    if (!n.ok()) {
      state.SkipWithError(n.error().to_string().c_str());
      break;
    }
  }
  report_latencies(state, latencies, static_cast<int>(samples.size()));
}

// The anchor: BEGIN; one prepared INSERT per sample (bound, stepped, reset); COMMIT.
void BM_AnchorPlainInserts(benchmark::State& state) {
  OpsBenchServer server;
  const std::string project = server.create_project("ingest");
  const auto samples = samples_of(static_cast<int>(state.range(0)));
  const std::string ts = opz::format_time(server.clock().now());
  sqlite3* db = server.raw();
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO ops_metrics (project_id, metric, value, ts, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
                     -1, &insert, nullptr);
  Latencies latencies;
  for (auto _ : state) {
    const auto t0 = Steady::now();
    server.exec_raw("BEGIN IMMEDIATE");
    for (const auto& s : samples) {
      sqlite3_bind_text(insert, 1, project.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, s.metric.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_double(insert, 3, s.value);
      sqlite3_bind_text(insert, 4, ts.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 5, ts.c_str(), -1, SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError("insert failed");
      sqlite3_reset(insert);
    }
    server.exec_raw("COMMIT");
    latencies.add(Steady::now() - t0);
  }
  sqlite3_finalize(insert);
  report_latencies(state, latencies, static_cast<int>(samples.size()));
}

BENCHMARK(BM_IngestRoute)->Arg(2)->Arg(100)->ArgName("samples")->MinTime(2.0)->UseRealTime();
BENCHMARK(BM_IngestStoreOnly)->Arg(2)->Arg(100)->ArgName("samples")->MinTime(2.0)->UseRealTime();
BENCHMARK(BM_AnchorPlainInserts)->Arg(2)->Arg(100)->ArgName("samples")->MinTime(2.0)->UseRealTime();

}  // namespace
