#include "store/telemetry_signal_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

constexpr const char* kTelemetrySignalSelect =
    "SELECT id, signal_type, execution_id, node_id, otel_trace_id, otel_span_id, duration_ms, "
    "status_code, severity, environment, payload, created_at FROM telemetry_signals WHERE 1 = 1";

TelemetrySignalRecord signal_from_row(const Row& r) {
  TelemetrySignalRecord s;
  s.id = r["id"].as_text();
  s.signal_type = r["signal_type"].as_text();
  s.execution_id = r["execution_id"].as_text();
  s.node_id = r["node_id"].as_text();
  s.otel_trace_id = r["otel_trace_id"].as_text();
  s.otel_span_id = r["otel_span_id"].as_text();
  if (!r["duration_ms"].is_null()) s.duration_ms = r["duration_ms"].as_int();
  s.status_code = r["status_code"].as_text();
  s.severity = r["severity"].as_text();
  s.environment = r["environment"].as_text();
  s.payload = Json::parse(r["payload"].as_text(), nullptr, false);
  if (s.payload.is_discarded()) s.payload = Json::object();
  s.created_at = r["created_at"].as_text();
  return s;
}

}  // namespace

Result<int64_t> TelemetrySignalStore::insert(const std::vector<TelemetrySignalRecord>& signals) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Result<int64_t> {
    for (const TelemetrySignalRecord& sig : signals)
      OPZ_TRY_STATUS(s.exec(
          "INSERT INTO telemetry_signals (id, signal_type, execution_id, node_id, otel_trace_id, "
          "otel_span_id, duration_ms, status_code, severity, environment, payload, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
          {sig.id.empty() ? new_uuid() : sig.id, sig.signal_type, text_or_null(sig.execution_id),
           text_or_null(sig.node_id), text_or_null(sig.otel_trace_id),
           text_or_null(sig.otel_span_id), sig.duration_ms, text_or_null(sig.status_code),
           text_or_null(sig.severity), text_or_null(sig.environment), dump_json(sig.payload),
           now}));
    return static_cast<int64_t>(signals.size());
  });
}

Result<Page<TelemetrySignalRecord>> TelemetrySignalStore::list(const TelemetrySignalFilter& f,
                                                               const PageRequest& page) {
  std::string sql = kTelemetrySignalSelect;
  Params params;
  auto filter = [&](const char* column, const char* op, const std::string& value) {
    if (value.empty()) return;
    params.push_back(value);
    sql += std::string(" AND ") + column + " " + op + " $" + std::to_string(params.size());
  };
  filter("otel_trace_id", "=", f.otel_trace_id);
  filter("execution_id", "=", f.execution_id);
  filter("signal_type", "=", f.signal_type);
  filter("created_at", ">=", f.from);
  filter("created_at", "<", f.to);
  OPZ_TRY_STATUS(append_page_clause(page, sql, params));
  return db_.read([&](SqlSession& s) -> Result<Page<TelemetrySignalRecord>> {
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<TelemetrySignalRecord>(rows, page.limit, signal_from_row);
  });
}

}  // namespace opz::store
