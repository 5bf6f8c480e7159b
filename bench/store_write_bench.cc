// Single-row insert transactions through Database::write(), synchronous=NORMAL
// (Arg 0) versus FULL (Arg 1). Each iteration is one BEGIN IMMEDIATE, one
// INSERT, one COMMIT on a WAL database in $TMPDIR.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "core/ids.h"
#include "store/database.h"

namespace {

void BM_SingleRowWrite(benchmark::State& state) {
  const bool full = state.range(0) != 0;
  const auto dir = std::filesystem::temp_directory_path() / ("opz-bench-" + opz::random_hex(6));
  std::filesystem::create_directories(dir);
  {
    opz::store::DatabaseOptions options;
    options.path = (dir / "bench.db").string();
    options.synchronous_full = full;
    options.readers = 1;
    auto db = opz::store::Database::open_sqlite(options);
    if (!db.ok()) {
      state.SkipWithError(db.error().to_string().c_str());
      return;
    }
    auto& database = **db;
    auto made = database.write([](opz::store::SqlSession& s) {
      return s.exec_script("CREATE TABLE rows (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
    });
    if (!made.ok()) {
      state.SkipWithError(made.error().to_string().c_str());
      return;
    }
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
