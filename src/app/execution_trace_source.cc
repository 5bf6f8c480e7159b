#include "app/execution_trace_source.h"

#include <optional>

#include "core/time_format.h"

namespace opz::app {
namespace {

std::optional<TimePoint> time_of(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto t = parse_time(text);
  if (!t) return std::nullopt;
  return *t;
}

telemetry::TraceLogLine log_line(const store::LogLineRecord& r) {
  return {time_of(r.created_at).value_or(TimePoint{}), r.attempt, r.stream, r.level, r.message};
}

// A node's last `limit` lines, and how many came before them.
Status add_node_logs(store::ExecutionHistoryStore& history, const std::string& execution_id,
                     int limit, telemetry::NodeTrace& node) {
  if (limit <= 0) return {};
  store::LogQuery q;
  q.execution_id = execution_id;
  q.node_id = node.node_id;
  q.tail = limit;
  OPZ_TRY(store::LogPage page, history.log_page(q));
  for (const auto& line : page.lines) node.logs.push_back(log_line(line));
  node.logs_left_out = page.extent.total - static_cast<int64_t>(page.lines.size());
  return {};
}

Status add_execution_logs(store::ExecutionHistoryStore& history, int limit,
                          telemetry::ExecutionTrace& trace) {
  if (limit <= 0) return {};
  store::LogQuery q;
  q.execution_id = trace.execution_id;
  q.limit = limit;
  OPZ_TRY(std::vector<store::LogLineRecord> lines, history.logs(q));
  for (const auto& line : lines) {
    if (line.node_id.empty()) trace.logs.push_back(log_line(line));
  }
  return {};
}

telemetry::NodeTrace node_trace(const store::ExecutionNodeRecord& row,
                                const std::vector<store::StateEventRecord>& events) {
  telemetry::NodeTrace node;
  node.node_id = row.node_id;
  node.name = row.name;
  node.type = row.type;
  node.status = row.status;
  node.attempts = row.attempt;
  node.max_attempts = row.max_attempts;
  node.exit_code = row.exit_code;
  node.error = row.error;
  node.started = time_of(row.started_at);
  node.ended = time_of(row.completed_at);
  node.attempt_history = attempts_from_state_events(events, row.node_id);
  // A retried node's row keeps its last attempt's start: the span covers every attempt.
  if (!node.attempt_history.empty() &&
      (!node.started || node.attempt_history.front().started < *node.started))
    node.started = node.attempt_history.front().started;
  return node;
}

}  // namespace

std::vector<telemetry::TraceAttempt> attempts_from_state_events(
    const std::vector<store::StateEventRecord>& events, const std::string& node_id) {
  std::vector<telemetry::TraceAttempt> attempts;
  bool running = false;
  for (const auto& e : events) {
    if (e.node_id != node_id) continue;
    const auto at = time_of(e.created_at);
    if (!at) continue;
    if (e.new_state == "running") {
      telemetry::TraceAttempt attempt;
      attempt.number = static_cast<int>(attempts.size()) + 1;
      attempt.started = *at;
      attempts.push_back(std::move(attempt));
      running = true;
    } else if (running && e.old_state == "running") {
      attempts.back().ended = *at;
      attempts.back().outcome = e.new_state;
      attempts.back().reason = e.reason;
      running = false;
    }
  }
  return attempts;
}

Result<telemetry::ExecutionTrace> load_execution_trace(store::ExecutionStore& executions,
                                                       store::ExecutionHistoryStore& history,
                                                       const std::string& execution_id,
                                                       const TraceSourceOptions& options) {
  OPZ_TRY(store::ExecutionDetail detail, executions.get(execution_id));
  const store::ExecutionRecord& e = detail.execution;
  telemetry::ExecutionTrace trace;
  trace.execution_id = e.id;
  trace.name = e.name;
  trace.project_id = e.project_id;
  trace.environment = e.environment;
  trace.branch = e.branch;
  trace.commit = e.commit_hash;
  trace.trigger_type = e.trigger_type;
  trace.status = e.status;
  trace.reason = !e.blocked_reason.empty() ? e.blocked_reason : e.cancel_reason;
  trace.started = time_of(e.started_at).value_or(time_of(e.created_at).value_or(TimePoint{}));
  trace.ended = time_of(e.completed_at).value_or(time_of(e.updated_at).value_or(trace.started));

  OPZ_TRY(std::vector<store::StateEventRecord> events, history.state_events(execution_id));
  // Else the reason the engine gave for the final state.
  for (auto it = events.rbegin(); trace.reason.empty() && it != events.rend(); ++it) {
    if (it->node_id.empty() && it->new_state == e.status) trace.reason = it->reason;
  }
  for (const auto& row : detail.nodes) {
    telemetry::NodeTrace node = node_trace(row, events);
    OPZ_TRY_STATUS(add_node_logs(history, execution_id, options.max_log_lines_per_node, node));
    trace.nodes.push_back(std::move(node));
  }
  OPZ_TRY_STATUS(add_execution_logs(history, options.max_log_lines_per_node, trace));
  return trace;
}

}  // namespace opz::app
