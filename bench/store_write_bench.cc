// Single-row insert transactions through Database::write(), synchronous=NORMAL
// (Arg 0) versus FULL (Arg 1). Each iteration is one BEGIN IMMEDIATE, one
// INSERT, one COMMIT on a WAL database in $TMPDIR.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/ids.h"
#include "store/database.h"

namespace {

// A fresh WAL database in $TMPDIR with one table `rows (id, body)`; null
// (and the benchmark marked skipped) when it cannot be made.
std::unique_ptr<opz::store::Database> open_rows_table(benchmark::State& state,
                                                      opz::store::DatabaseOptions options,
                                                      const char* body_type) {
  auto db = opz::store::Database::open_sqlite(options);
  if (!db.ok()) {
    state.SkipWithError(db.error().to_string().c_str());
    return nullptr;
  }
  auto made = (*db)->write([&](opz::store::SqlSession& s) {
    return s.exec_script(std::string("CREATE TABLE rows (id TEXT PRIMARY KEY, body ") + body_type +
                         " NOT NULL)");
  });
  if (!made.ok()) {
    state.SkipWithError(made.error().to_string().c_str());
    return nullptr;
  }
  return std::move(db).value();
}

void BM_SingleRowWrite(benchmark::State& state) {
  const bool full = state.range(0) != 0;
  const auto dir = std::filesystem::temp_directory_path() / ("opz-bench-" + opz::random_hex(6));
  std::filesystem::create_directories(dir);
  {
    opz::store::DatabaseOptions options;
    options.path = (dir / "bench.db").string();
    options.synchronous_full = full;
    options.readers = 1;
    auto db = open_rows_table(state, options, "TEXT");
    if (!db) return;
    auto& database = *db;
    const std::string body(200, 'x');
    for (auto _ : state) {
      auto n = database.write([&](opz::store::SqlSession& s) {
        return s.exec("INSERT INTO rows (id, body) VALUES ($1, $2)", {opz::new_uuid(), body});
      });
      if (!n.ok()) {
        state.SkipWithError(n.error().to_string().c_str());
        break;
      }
    }
    state.SetItemsProcessed(state.iterations());
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
BENCHMARK(BM_SingleRowWrite)->Arg(0)->Arg(1)->ArgName("sync_full")->MinTime(1.0)->UseRealTime();

}  // namespace

namespace {

// Webhook-sized writes (a 7.7 KB body, as GitHub's push example) through one
// writer, with the WAL checkpointed inside the commit that crosses 1,000
// pages (SQLite's auto-checkpoint: Arg 0) or on WalCheckpointer's thread
// (Arg 1000, the default). Counters: each write's wall time, p99 and max —
// the checkpoint is what makes the tail when it runs inside a commit.
void BM_WebhookSizedWrite(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / ("opz-bench-" + opz::random_hex(6));
  std::filesystem::create_directories(dir);
  std::vector<double> took_us;
  {
    opz::store::DatabaseOptions options;
    options.path = (dir / "bench.db").string();
    options.readers = 1;
    options.checkpoint_pages = static_cast<int>(state.range(0));
    auto db = open_rows_table(state, options, "BLOB");
    if (!db) return;
    auto& database = *db;
    const std::string body(7680, 'x');
    for (auto _ : state) {
      const auto start = std::chrono::steady_clock::now();
      auto n = database.write([&](opz::store::SqlSession& s) {
        return s.exec("INSERT INTO rows (id, body) VALUES ($1, $2)", {opz::new_uuid(), body});
      });
      took_us.push_back(std::chrono::duration<double, std::micro>(
                            std::chrono::steady_clock::now() - start)
                            .count());
      if (!n.ok()) {
        state.SkipWithError(n.error().to_string().c_str());
        break;
      }
    }
    state.SetItemsProcessed(state.iterations());
  }
  if (!took_us.empty()) {
    std::sort(took_us.begin(), took_us.end());
    state.counters["p99_us"] = took_us[took_us.size() * 99 / 100];
    state.counters["max_us"] = took_us.back();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
BENCHMARK(BM_WebhookSizedWrite)->Arg(0)->Arg(1000)->ArgName("checkpoint_pages")->MinTime(2.0)->UseRealTime();

}  // namespace
