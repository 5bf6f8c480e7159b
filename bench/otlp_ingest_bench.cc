// OTLP span ingest (issue 13, "In"): an ExportTraceServiceRequest of N spans
// (each with five attributes, the resource naming an execution, as an
// instrumented pipeline sends them) through POST /v1/traces' real handler
// (ingest token check, JSON parse, decode and validation of every span, ONE
// transaction of inserts), against the anchor: plain prepared INSERTs of the
// same rows (the decoded columns and payload text, made before timing) in one
// transaction on a plain sqlite3 connection to the same file.
// BM_OtlpDecodeOnly is parse + decode alone (no storage), to show where the
// route's time goes. Reports spans/s (items_per_second) and per-request
// p50/p99 (µs). Results and the command: docs/performance.md "OTLP ingest".
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/json.h"
#include "ops_bench_support.h"
#include "telemetry/otlp_json_decoder.h"

namespace {

using opz::bench::Latencies;
using opz::bench::OpsBenchServer;
using Steady = std::chrono::steady_clock;

std::string hex(uint64_t v, int digits) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0 && v; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 15];
  return out;
}

// One request of `n` spans of one trace; `round` makes the span ids new.
std::string spans_body(int n, int round) {
  using opz::Json;
  auto attr = [](const char* key, Json value) { return Json{{"key", key}, {"value", value}}; };
  Json spans = Json::array();
  for (int i = 0; i < n; ++i) {
    const uint64_t id = static_cast<uint64_t>(round) * 100000 + static_cast<uint64_t>(i) + 1;
    spans.push_back(
        Json{{"traceId", hex(static_cast<uint64_t>(round) + 1, 32)},
             {"spanId", hex(id, 16)},
             {"parentSpanId", i == 0 ? "" : hex(static_cast<uint64_t>(round) * 100000 + 1, 16)},
             {"name", "node-" + std::to_string(i)},
             {"kind", 1},
             {"startTimeUnixNano", "1700000000000000000"},
             {"endTimeUnixNano", "1700000001250000000"},
             {"attributes",
              Json::array({attr("opzenix.node_id", {{"stringValue", "node-" + std::to_string(i)}}),
                           attr("ci.step", {{"stringValue", "compile"}}),
                           attr("ci.attempt", {{"intValue", "1"}}),
                           attr("ci.cached", {{"boolValue", false}}),
                           attr("ci.cpu_seconds", {{"doubleValue", 12.5}})})},
             {"status", {{"code", 1}}}});
  }
  Json resource = Json::array(
      {attr("service.name", {{"stringValue", "pipeline"}}),
       attr("opzenix.execution_id", {{"stringValue", "0190a1b2-0000-7000-8000-000000000001"}}),
       attr("deployment.environment.name", {{"stringValue", "staging"}})});
  return opz::dump_json(
      Json{{"resourceSpans",
            {{{"resource", {{"attributes", resource}}},
              {"scopeSpans", {{{"scope", {{"name", "bench"}}}, {"spans", spans}}}}}}}});
}

void BM_OtlpRoute(benchmark::State& state) {
  OpsBenchServer server;
  const int n = static_cast<int>(state.range(0));
  const std::string body = spans_body(n, 1);
  Latencies latencies;
  for (auto _ : state) {
    const auto t0 = Steady::now();
    const int status = server.post("/v1/traces", "x-ops-ingest-token", "bench-ingest-token", body);
    latencies.add(Steady::now() - t0);
    if (status != 200) {
      state.SkipWithError(("/v1/traces answered " + std::to_string(status)).c_str());
      break;
    }
  }
  report_latencies(state, latencies, n);
}

void BM_OtlpDecodeOnly(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::string body = spans_body(n, 1);
  Latencies latencies;
  for (auto _ : state) {
    const auto t0 = Steady::now();
    auto json = opz::parse_json(body);
    auto signals = opz::telemetry::decode_otlp_json(opz::telemetry::OtlpKind::kTraces, *json);
    benchmark::DoNotOptimize(signals);
    latencies.add(Steady::now() - t0);
    if (!signals || static_cast<int>(signals->size()) != n) {
      state.SkipWithError("decode failed");
      break;
    }
  }
  report_latencies(state, latencies, n);
}

// The anchor: BEGIN; one prepared INSERT per span (the decoded row, bound,
// stepped, reset); COMMIT.
void BM_AnchorPlainInserts(benchmark::State& state) {
  OpsBenchServer server;
  const int n = static_cast<int>(state.range(0));
  auto decoded = opz::telemetry::decode_otlp_json(opz::telemetry::OtlpKind::kTraces,
                                                  *opz::parse_json(spans_body(n, 1)));
  struct RowText {
    std::string payload;
  };
  std::vector<RowText> rows;
  for (const auto& s : *decoded) rows.push_back({opz::dump_json(s.payload)});
  const auto& sample = (*decoded)[0];
  const std::string now = "2026-12-05T16:00:00.000Z";
  sqlite3* db = server.raw();
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO telemetry_signals (id, signal_type, execution_id, node_id, "
                     "otel_trace_id, otel_span_id, duration_ms, status_code, severity, "
                     "environment, payload, created_at) "
                     "VALUES (?1, 'span', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                     -1, &insert, nullptr);
  Latencies latencies;
  for (auto _ : state) {
    const auto t0 = Steady::now();
    server.exec_raw("BEGIN IMMEDIATE");
    for (int i = 0; i < n; ++i) {
      const auto& s = (*decoded)[static_cast<size_t>(i)];
      const std::string id = opz::new_uuid();
      sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 2, sample.execution_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 3, s.node_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 4, s.otel_trace_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 5, s.otel_span_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 6, *s.duration_ms);
      sqlite3_bind_text(insert, 7, s.status_code.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 8, s.severity.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 9, s.environment.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 10, rows[static_cast<size_t>(i)].payload.c_str(), -1,
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 11, now.c_str(), -1, SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError("insert failed");
      sqlite3_reset(insert);
    }
    server.exec_raw("COMMIT");
    latencies.add(Steady::now() - t0);
  }
  sqlite3_finalize(insert);
  report_latencies(state, latencies, n);
}

BENCHMARK(BM_OtlpRoute)->Arg(10)->Arg(100)->Arg(512)->ArgName("spans")->MinTime(2.0)->UseRealTime();
BENCHMARK(BM_OtlpDecodeOnly)
    ->Arg(10)
    ->Arg(100)
    ->Arg(512)
    ->ArgName("spans")
    ->MinTime(1.0)
    ->UseRealTime();
BENCHMARK(BM_AnchorPlainInserts)
    ->Arg(10)
    ->Arg(100)
    ->Arg(512)
    ->ArgName("spans")
    ->MinTime(2.0)
    ->UseRealTime();

}  // namespace
