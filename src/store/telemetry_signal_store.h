// TelemetrySignalStore: the telemetry_signals table (migration 001; seed 000
// §5.2): spans, metric points, log records and events received over OTLP,
// each optionally linked to an execution and a node.
//
// Contract: insert() stores a whole batch in ONE transaction or nothing; ids
// and created_at (the time of receipt, the same for the batch) are assigned
// here. execution_id has no foreign key on purpose: a signal may name an
// execution this server never ran (another instance's, or a test's), and it
// is kept as sent. list() pages newest first by (created_at, id) with the
// shared cursor (store/page.h); every filter is optional and they combine
// with AND. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

// One row. Empty strings are NULL in the table.
struct TelemetrySignalRecord {
  std::string id;
  std::string signal_type;  // trace | span | metric | log | event
  std::string execution_id;
  std::string node_id;
  std::string otel_trace_id;
  std::string otel_span_id;
  std::optional<int64_t> duration_ms;
  std::string status_code;
  std::string severity;
  std::string environment;
  Json payload = Json::object();
  std::string created_at;
};

struct TelemetrySignalFilter {
  std::string otel_trace_id = {};
  std::string execution_id = {};
  std::string signal_type = {};
  std::string from = {};  // created_at >= from (stored time format), "" = unbounded
  std::string to = {};    // created_at < to
};

class TelemetrySignalStore {
 public:
  TelemetrySignalStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Answers the number of rows stored (all of `signals`, or an error and none).
  Result<int64_t> insert(const std::vector<TelemetrySignalRecord>& signals);
  Result<Page<TelemetrySignalRecord>> list(const TelemetrySignalFilter& filter,
                                           const PageRequest& page);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
