// Execution trace source: reads one finished execution from the store and
// types it as a telemetry::ExecutionTrace for the OTLP export
// (telemetry/otlp_trace_encoding.h) — the edge where store rows (string
// states, ISO times) become the exporter's plain values.
//
// What it reads: the execution row, its nodes, its state events (a node's
// attempts are its runs: each move into `running` starts one, the next move
// out of it ends it, with that state and reason), the last
// `max_log_lines_per_node` log lines of each node (the end of a log says most
// about how it ended; the rest is counted in logs_left_out), and the
// execution's own lines (checkout, engine notes) among its first
// `max_log_lines_per_node` lines. The root span runs from started_at (or
// created_at for an execution that never started) to completed_at (or
// updated_at). Thread-safe (the stores are).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/execution_history_store.h"
#include "store/execution_store.h"
#include "telemetry/otlp_trace_encoding.h"

namespace opz::app {

struct TraceSourceOptions {
  int max_log_lines_per_node = 20;  // 0: no log lines at all
};

Result<telemetry::ExecutionTrace> load_execution_trace(store::ExecutionStore& executions,
                                                       store::ExecutionHistoryStore& history,
                                                       const std::string& execution_id,
                                                       const TraceSourceOptions& options = {});

// The attempts of node `node_id` read from the execution's state events (in
// recorded order); events whose time does not parse are skipped. Pure.
std::vector<telemetry::TraceAttempt> attempts_from_state_events(
    const std::vector<store::StateEventRecord>& events, const std::string& node_id);

}  // namespace opz::app
