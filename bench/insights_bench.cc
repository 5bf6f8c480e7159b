// Insights (issue 13): what one GET /api/v1/projects/{id}/insights costs over
// a long history — api::insights_report (the store's two queries, the pure
// computation and the JSON) for the 7-day and the 90-day window — against the
// anchor of reading the same node rows at all: a plain SELECT of the window's
// finished node runs joined to their executions, read to the end on a plain
// connection (no state-event lookups, no computation).
//
// The history: one project, OPZ_INSIGHTS_EXECUTIONS executions (default
// 5,000: 20,000 node runs, InsightsStore's cap) spread over the last 180 days
// (the 90-day window and the one before it), four nodes each (build, test,
// lint, deploy): test fails every 10th run with a connection error whose
// address and time vary, lint passes on its second attempt every 7th run,
// every node has a 'running' state event and every 5th a 'queued' one before
// it. Generated once with INSERT … SELECT over recursive CTEs; the generation
// time goes to stderr. Results: docs/performance.md "Insights".
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "api/insights_report.h"
#include "core/time_format.h"
#include "store/insights_store.h"
#include "ops_bench_support.h"

namespace {

using opz::bench::OpsBenchServer;

struct Fixture {
  std::unique_ptr<OpsBenchServer> server;
  std::string project;
  int64_t executions = 0;
};

int64_t wanted_executions() {
  const char* env = std::getenv("OPZ_INSIGHTS_EXECUTIONS");
  const int64_t n = env ? std::atoll(env) : 5000;
  return n > 0 ? n : 5000;
}

std::string history_sql(const std::string& project, int64_t executions, int64_t now_epoch) {
  const int64_t spacing = 180 * 86400 / executions;  // seconds between executions
  const std::string n = std::to_string(executions - 1);
  const std::string created = "(" + std::to_string(now_epoch) + " - t.k * " + std::to_string(spacing) + ")";
  auto ts = [](const std::string& epoch) {
    return "strftime('%Y-%m-%dT%H:%M:%fZ', " + epoch + ", 'unixepoch')";
  };
  const std::string steps = "WITH RECURSIVE t(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM t WHERE k < " + n + ")";
  const std::string nodes = ", n(name, pos) AS (VALUES ('build', 0), ('test', 1), ('lint', 2), ('deploy', 3))";
  return "INSERT INTO executions (id, name, project_id, status, branch, commit_hash, started_at, "
         "completed_at, created_at, updated_at) " + steps +
         " SELECT printf('e%08d', t.k), 'bench', '" + project + "', 'success', 'main', "
         "printf('%040x', t.k / 3), " + ts(created + " + 2") + ", " + ts(created + " + 300") + ", " +
         ts(created) + ", " + ts(created) + " FROM t;"
         "INSERT INTO execution_nodes (id, execution_id, node_id, status, attempt, max_attempts, "
         "exit_code, logs, duration_ms, completed_at, position, created_at, updated_at) " + steps + nodes +
         " SELECT printf('n%08d-%d', t.k, n.pos), printf('e%08d', t.k), n.name, "
         "CASE WHEN n.name = 'test' AND t.k % 10 = 0 THEN 'failed' ELSE 'success' END, "
         "CASE WHEN n.name = 'lint' AND t.k % 7 = 0 THEN 2 ELSE 1 END, 2, "
         "CASE WHEN n.name = 'test' AND t.k % 10 = 0 THEN 1 ELSE 0 END, "
         "CASE WHEN n.name = 'test' AND t.k % 10 = 0 THEN printf('running tests\nconnection refused "
         "to 10.0.0.%d:5432 after %dms\n', t.k % 250, 1000 + t.k % 3000) END, "
         "(n.pos + 1) * 1000 + t.k % 500, " + ts(created + " + 60 * (n.pos + 1)") + ", n.pos, " +
         ts(created) + ", " + ts(created) + " FROM t CROSS JOIN n;"
         "INSERT INTO execution_state_events (id, execution_id, node_id, new_state, created_at) " +
         steps + nodes +
         " SELECT printf('r%08d-%d', t.k, n.pos), printf('e%08d', t.k), n.name, 'running', " +
         ts(created + " + 60 * n.pos + 3") + " FROM t CROSS JOIN n;"
         "INSERT INTO execution_state_events (id, execution_id, node_id, new_state, created_at) " +
         steps + nodes +
         " SELECT printf('q%08d-%d', t.k, n.pos), printf('e%08d', t.k), n.name, 'queued', " +
         ts(created + " + 60 * n.pos + 1") + " FROM t CROSS JOIN n WHERE t.k % 5 = 0;";
}

Fixture& fixture() {
  static Fixture f = [] {
    Fixture made;
    made.server = std::make_unique<OpsBenchServer>();
    made.project = made.server->create_project("insights");
    made.executions = wanted_executions();
    const int64_t now_epoch = std::chrono::duration_cast<std::chrono::seconds>(
                                  made.server->clock().now().time_since_epoch())
                                  .count();
    const auto t0 = std::chrono::steady_clock::now();
    made.server->exec_raw("BEGIN IMMEDIATE");
    made.server->exec_raw(history_sql(made.project, made.executions, now_epoch).c_str());
    made.server->exec_raw("COMMIT");
    std::fprintf(stderr, "generated %lld executions (%lld node runs) in %.1f s\n",
                 static_cast<long long>(made.executions),
                 static_cast<long long>(made.executions * 4),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return made;
  }();
  return f;
}

int64_t expected_rows(const Fixture& f) { return std::min<int64_t>(20000, f.executions * 4); }

void report(benchmark::State& state, const std::string& window, size_t expected_clusters) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto body = opz::api::insights_report(f.server->ctx(), f.project, window);
    if (!body.ok()) {
      state.SkipWithError(body.error().to_string().c_str());
      break;
    }
    if ((*body)["failure_clusters"].size() != expected_clusters ||
        (*body)["slowest_nodes"].size() != 4) {
      state.SkipWithError("unexpected report");
      break;
    }
    benchmark::DoNotOptimize(body);
  }
  state.counters["executions"] = static_cast<double>(f.executions);
}

void BM_InsightsReport7d(benchmark::State& state) { report(state, "7d", 1); }
void BM_InsightsReport90d(benchmark::State& state) { report(state, "90d", 1); }

// The store's node-run query alone over the 90-day window and the one before
// it (the report's main cost, with its first-queued / first-running lookups).
void BM_StoreNodeRuns90d(benchmark::State& state) {
  Fixture& f = fixture();
  opz::store::InsightsStore store(f.server->db());
  const std::string since = opz::format_time(f.server->clock().now() - std::chrono::hours(24 * 180));
  for (auto _ : state) {
    auto rows = store.node_runs(f.project, since);
    if (!rows.ok() || static_cast<int64_t>(rows->size()) != expected_rows(f)) {
      state.SkipWithError("node runs");
      break;
    }
  }
  state.counters["executions"] = static_cast<double>(f.executions);
}

// The anchors: the rows InsightsStore reads (the 90-day window's and the
// previous window's finished node runs), without the state-event lookups,
// read to the end on a plain connection, and through Database::read (the
// store's row materialising).
std::string anchor_sql(const std::string& project) {
  return "SELECT n.execution_id, n.node_id, n.status, n.attempt, n.exit_code, n.duration_ms, "
         "n.completed_at, e.commit_hash, e.branch, n.logs, n.error FROM executions e "
         "JOIN execution_nodes n ON n.execution_id = e.id WHERE e.project_id = '" + project +
         "' AND n.status IN ('success', 'failed') ORDER BY e.created_at DESC, n.position LIMIT 20000";
}

void BM_AnchorReadNodeRows(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string sql = anchor_sql(f.project);
  for (auto _ : state) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(f.server->raw(), sql.c_str(), -1, &stmt, nullptr);
    int64_t rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) ++rows;
    sqlite3_finalize(stmt);
    if (rows != expected_rows(f)) state.SkipWithError("row count");
  }
  state.counters["executions"] = static_cast<double>(f.executions);
}

void BM_AnchorReadNodeRowsThroughDatabase(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string sql = anchor_sql(f.project);
  for (auto _ : state) {
    auto rows = f.server->db().read([&](opz::store::SqlSession& s) { return s.query(sql); });
    if (!rows.ok() || static_cast<int64_t>(rows->size()) != expected_rows(f))
      state.SkipWithError("row count");
  }
  state.counters["executions"] = static_cast<double>(f.executions);
}

BENCHMARK(BM_AnchorReadNodeRows)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AnchorReadNodeRowsThroughDatabase)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_StoreNodeRuns90d)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_InsightsReport7d)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_InsightsReport90d)->Iterations(10)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
