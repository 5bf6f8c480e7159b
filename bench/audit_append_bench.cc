// One audit append (tail seek + SHA-256 + INSERT) inside a caller's
// transaction, versus the anchor: the same INSERT without the chain (the
// single-row write of store_write_bench, inside one transaction too). The
// ratio is the chain's cost. Figures: docs/audit.md, docs/performance.md.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "store/audit_store.h"
#include "store/database.h"
#include "temp_db.h"

namespace {

using opz::bench::TempDb;

opz::store::AuditLogRecord bench_row() {
  opz::store::AuditLogRecord r;
  r.action = "bench";
  r.resource_type = "project";
  r.resource_id = "p1";
  r.user_id = "u1";
  r.details = R"({"b":"x","a":1})";
  return r;
}

// 1,000 appends per transaction, like a bulk import or a busy group commit.
constexpr int kPerTransaction = 1000;

void BM_AuditAppendInTransaction(benchmark::State& state) {
  TempDb t;
  if (!t.db) return state.SkipWithError("cannot open a migrated database");
  opz::SystemClock clock;
  opz::store::AuditStore audit(*t.db, clock);
  for (auto _ : state) {
    auto done = t.db->write([&](opz::store::SqlSession& tx) -> opz::Status {
      for (int i = 0; i < kPerTransaction; ++i) OPZ_TRY_STATUS(audit.append_in(tx, bench_row()));
      return {};
    });
    if (!done.ok()) return state.SkipWithError(done.error().to_string().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kPerTransaction);
}
BENCHMARK(BM_AuditAppendInTransaction)->MinTime(1.0)->UseRealTime();

// The anchor: the same number of plain INSERTs of a row of the same size.
void BM_PlainInsertInTransaction(benchmark::State& state) {
  TempDb t;
  if (!t.db) return state.SkipWithError("cannot open a migrated database");
  auto made = t.db->write([](opz::store::SqlSession& s) {
    return s.exec_script("CREATE TABLE plain_rows (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
  });
  if (!made.ok()) return state.SkipWithError(made.error().to_string().c_str());
  const std::string body(300, 'x');
  for (auto _ : state) {
    auto done = t.db->write([&](opz::store::SqlSession& s) -> opz::Status {
      for (int i = 0; i < kPerTransaction; ++i)
        OPZ_TRY_STATUS(s.exec("INSERT INTO plain_rows (id, body) VALUES ($1, $2)",
                              {opz::new_uuid(), body}));
      return {};
    });
    if (!done.ok()) return state.SkipWithError(done.error().to_string().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kPerTransaction);
}
BENCHMARK(BM_PlainInsertInTransaction)->MinTime(1.0)->UseRealTime();

// An audited write on its own: one transaction per append (commit included).
void BM_AuditAppendOwnTransaction(benchmark::State& state) {
  TempDb t;
  if (!t.db) return state.SkipWithError("cannot open a migrated database");
  opz::SystemClock clock;
  opz::store::AuditStore audit(*t.db, clock);
  for (auto _ : state) {
    auto done = audit.append(bench_row());
    if (!done.ok()) return state.SkipWithError(done.error().to_string().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditAppendOwnTransaction)->MinTime(1.0)->UseRealTime();

}  // namespace
