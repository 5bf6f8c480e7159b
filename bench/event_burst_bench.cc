// The realtime stream's burst on the server: a 1,000-node pipeline's submit
// commits ~1,001 events at once (the execution and its node rows), and the
// event hub's next read must get them to every client. One iteration is the
// hub's whole share before the sockets: read the new events from the log,
// build the frames (the batch frame included) and queue them for 1,000
// clients that asked for batches (EventHub::poll_once over real PushStreams;
// what the streams hold is drained outside the timing). Beside it, its parts:
// the log read alone (EventLogStore::read_after) and the frame building alone
// (stream_event_of + batch_frame). The anchor is the same rows stepped
// through a plain sqlite3 statement, every column read as text: what the
// read costs the database at the least. Figures: docs/performance.md
// ("Realtime stream").
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/time_format.h"
#include "http/message.h"
#include "realtime/batch_frame.h"
#include "realtime/event_hub.h"
#include "realtime/stream_event.h"
#include "realtime/stream_filter.h"
#include "store/database.h"
#include "store/event_log_store.h"
#include "store/execution_store.h"
#include "temp_db.h"

namespace {

using namespace opz;

constexpr int kNodes = 1000;
constexpr int kClients = 1000;

using bench::TempDb;

// A 1,000-node pipeline's submit, as the engine writes it: one transaction.
bool submit(store::Database& db, const Clock& clock) {
  store::ExecutionStore executions(db);
  store::ExecutionRecord e;
  e.id = new_uuid();
  e.name = "stream-bench";
  e.status = "running";
  e.environment = "Development";
  e.branch = "main";
  e.governance_status = "allowed";
  e.trigger_type = "manual";
  e.created_at = e.updated_at = format_time(clock.now());
  std::vector<store::ExecutionNodeRecord> nodes(kNodes);
  for (int i = 0; i < kNodes; ++i) {
    auto& n = nodes[i];
    n.id = new_uuid();
    n.execution_id = e.id;
    n.node_id = n.name = "n" + std::to_string(i);
    n.type = "build";
    n.status = "pending";
    n.position = i;
    n.created_at = n.updated_at = e.created_at;
  }
  return executions.create(e, nodes).ok();
}

realtime::StreamFilter everything() {
  return realtime::StreamFilter::make(std::nullopt, {}, {"bench", auth::Role::kAdmin}).value();
}

// The hub's read, frames and fan-out for one submit, 1,000 batch clients.
void BM_HubBurstTo1000Clients(benchmark::State& state) {
  TempDb t;
  if (!t.db) return state.SkipWithError("cannot open a migrated database");
  SystemClock clock;
  store::EventLogStore log(*t.db);
  realtime::EventHub hub(log, clock);
  if (!hub.prime().ok()) return state.SkipWithError("prime");
  std::vector<std::shared_ptr<http::PushStream>> streams;
  for (int i = 0; i < kClients; ++i) {
    streams.push_back(std::make_shared<http::PushStream>(8 << 20));
    if (!hub.subscribe(streams.back(), everything(), std::nullopt, realtime::Framing::kBatchRuns)
             .ok())
      return state.SkipWithError("subscribe");
  }
  std::vector<http::SharedBytes> drained;
  auto drain = [&] {
    for (auto& s : streams) {
      drained.clear();
      s->take(drained);
    }
  };
  if (!hub.poll_once().ok()) return state.SkipWithError("poll");  // admits the clients
  drain();
  size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (!submit(*t.db, clock)) return state.SkipWithError("submit");
    state.ResumeTiming();
    if (!hub.poll_once().ok()) return state.SkipWithError("poll");
    state.PauseTiming();
    bytes = streams.front()->buffered();
    drain();
    state.ResumeTiming();
  }
  state.counters["bytes_per_client"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations() * (kNodes + 1));
}
BENCHMARK(BM_HubBurstTo1000Clients)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// One submit in the log, for the parts below; the records read once.
struct Burst {
  TempDb t;
  SystemClock clock;
  std::unique_ptr<store::EventLogStore> log;
  std::vector<store::EventLogRecord> records;
  bool ok = false;
  Burst() {
    if (!t.db || !submit(*t.db, clock)) return;
    log = std::make_unique<store::EventLogStore>(*t.db);
    auto read = log->read_after(0, 2000);
    if (!read.ok()) return;
    records = std::move(read).value();
    ok = records.size() == kNodes + 1;
  }
};

void BM_LogReadOfTheBurst(benchmark::State& state) {
  Burst b;
  if (!b.ok) return state.SkipWithError("setup");
  for (auto _ : state) {
    auto read = b.log->read_after(0, 2000);
    if (!read.ok() || read->size() != kNodes + 1) return state.SkipWithError("read");
    benchmark::DoNotOptimize(read);
  }
  state.SetItemsProcessed(state.iterations() * (kNodes + 1));
}
BENCHMARK(BM_LogReadOfTheBurst)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// The anchor: the same rows and columns through a plain prepared statement.
void BM_AnchorPlainSelectOfTheBurst(benchmark::State& state) {
  Burst b;
  if (!b.ok) return state.SkipWithError("setup");
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(b.t.path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return state.SkipWithError("open");
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT id, topic, table_name, type, execution_id, project_id, user_id, "
                     "record_id, record, old, created_at FROM realtime_events WHERE id > ? "
                     "ORDER BY id LIMIT 2000",
                     -1, &st, nullptr);
  for (auto _ : state) {
    sqlite3_bind_int64(st, 1, 0);
    size_t rows = 0, bytes = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      ++rows;
      for (int c = 0; c < 11; ++c) {
        const unsigned char* text = sqlite3_column_text(st, c);
        if (text != nullptr) bytes += static_cast<size_t>(sqlite3_column_bytes(st, c));
      }
    }
    sqlite3_reset(st);
    if (rows != kNodes + 1) return state.SkipWithError("rows");
    benchmark::DoNotOptimize(bytes);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  state.SetItemsProcessed(state.iterations() * (kNodes + 1));
}
BENCHMARK(BM_AnchorPlainSelectOfTheBurst)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// The frames: every event's own frame, and the node rows' batch frame.
void BM_FramesOfTheBurst(benchmark::State& state) {
  Burst b;
  if (!b.ok) return state.SkipWithError("setup");
  std::vector<const store::EventLogRecord*> nodes;
  for (const auto& r : b.records)
    if (r.topic == "nodes") nodes.push_back(&r);
  size_t batch_bytes = 0;
  for (auto _ : state) {
    size_t bytes = 0;
    for (const auto& r : b.records) bytes += realtime::stream_event_of(r)->frame.size();
    auto batch = realtime::batch_frame(nodes);
    if (!batch) return state.SkipWithError("no batch frame");
    batch_bytes = batch->size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["batch_bytes"] = static_cast<double>(batch_bytes);
  state.SetItemsProcessed(state.iterations() * (kNodes + 1));
}
BENCHMARK(BM_FramesOfTheBurst)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace
