#include "engine/execution_recorder.h"

#include <spdlog/spdlog.h>

#include <map>

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::engine {

namespace {

Json node_event_data(const store::ExecutionNodeRecord& row, int progress) {
  Json data = {
      {"attempt", row.attempt}, {"max_attempts", row.max_attempts}, {"progress", progress}};
  if (row.exit_code) data["exit_code"] = *row.exit_code;
  if (row.signal) data["signal"] = *row.signal;
  if (!row.error.empty()) data["error"] = row.error;
  if (row.duration_ms) data["duration_ms"] = *row.duration_ms;
  if (!row.next_attempt_at.empty()) data["next_attempt_at"] = row.next_attempt_at;
  return data;
}

}  // namespace

bool ExecutionRecorder::has_state_changes() const {
  const store::ExecutionBatch& b = batch_;
  return !b.new_nodes.empty() || !b.changes.empty() || !b.artifacts.empty() ||
         !b.checkpoints.empty() || !b.approvals.empty() || !b.approval_resolutions.empty();
}

void ExecutionRecorder::node_changed(const ExecutionRun& run, size_t node,
                                     pipeline::NodeStatus from, std::string reason) {
  const store::ExecutionNodeRecord& row = run.nodes[node].row;
  const std::string from_text(pipeline::to_string(from));
  guard(run.row.id);
  if (from_text != row.status) {
    EngineEvent e;
    e.kind = EventKind::kNodeState;
    e.execution_id = run.row.id;
    e.node_id = row.node_id;
    e.old_state = from_text;
    e.new_state = row.status;
    e.reason = reason;
    e.at = clock_.now();
    e.data = node_event_data(row, run.plan ? run.plan->progress() : 0);
    record(std::move(e));
  }
  batch_.changes.push_back(store::NodeChange{row, from_text, std::move(reason)});
}

void ExecutionRecorder::execution_changed(const ExecutionRun& run, ExecutionStatus from,
                                          std::string reason, bool write_pipeline) {
  guard(run.row.id);
  if (from != run.status) {
    EngineEvent e;
    e.kind = EventKind::kExecutionState;
    e.execution_id = run.row.id;
    e.old_state = std::string(to_string(from));
    e.new_state = run.row.status;
    e.reason = reason;
    e.at = clock_.now();
    e.data = {{"progress", run.row.progress}};
    if (!run.row.cancel_reason.empty()) e.data["cancel_reason"] = run.row.cancel_reason;
    if (!run.row.blocked_reason.empty()) e.data["blocked_reason"] = run.row.blocked_reason;
    record(std::move(e));
  }
  batch_.changes.push_back(store::ExecutionChange{run.row, std::string(to_string(from)),
                                                  std::move(reason), write_pipeline});
}

void ExecutionRecorder::nodes_created(const ExecutionRun& run) {
  guard(run.row.id);
  for (const NodeRuntime& n : run.nodes) batch_.new_nodes.push_back(n.row);
}

void ExecutionRecorder::artifact(store::ArtifactRecord artifact) {
  guard(artifact.execution_id);
  EngineEvent e;
  e.kind = EventKind::kArtifact;
  e.execution_id = artifact.execution_id;
  e.node_id = artifact.node_id;
  e.at = clock_.now();
  e.data = {{"artifact_id", artifact.id},
            {"name", artifact.name},
            {"image_tag", artifact.image_tag},
            {"image_digest", artifact.image_digest},
            {"registry_url", artifact.registry_url},
            {"type", artifact.type}};
  record(std::move(e));
  batch_.artifacts.push_back(std::move(artifact));
}

void ExecutionRecorder::checkpoint(store::CheckpointRecord checkpoint) {
  guard(checkpoint.execution_id);
  EngineEvent e;
  e.kind = EventKind::kCheckpoint;
  e.execution_id = checkpoint.execution_id;
  e.node_id = checkpoint.node_id;
  e.at = clock_.now();
  e.data = {{"checkpoint_id", checkpoint.id}, {"name", checkpoint.name}};
  record(std::move(e));
  batch_.checkpoints.push_back(std::move(checkpoint));
}

void ExecutionRecorder::approval_requested(store::ApprovalRequestRecord request) {
  guard(request.execution_id);
  EngineEvent e;
  e.kind = EventKind::kApproval;
  e.execution_id = request.execution_id;
  e.node_id = request.node_id;
  e.new_state = "pending";
  e.at = clock_.now();
  e.data = {{"approval_request_id", request.id},
            {"required_approvals", request.required_approvals},
            {"environment", request.environment}};
  record(std::move(e));
  batch_.approvals.push_back(std::move(request));
}

void ExecutionRecorder::approval_resolved(const std::string& execution_id,
                                          const std::string& node_id, bool approved) {
  const std::string status = approved ? "approved" : "rejected";
  guard(execution_id);
  EngineEvent e;
  e.kind = EventKind::kApproval;
  e.execution_id = execution_id;
  e.node_id = node_id;
  e.old_state = "pending";
  e.new_state = status;
  e.at = clock_.now();
  record(std::move(e));
  batch_.approval_resolutions.push_back({execution_id, node_id, status});
}

void ExecutionRecorder::announce(EngineEvent event) { bus_.publish(std::move(event)); }

void ExecutionRecorder::log(const std::string& execution_id, const std::string& node_id,
                            int attempt, std::string_view stream, std::string_view level,
                            std::string message, TimePoint at) {
  if (batch_.logs.size() >= kMaxBufferedLogLines) {
    if (dropped_log_lines_++ == 0)
      spdlog::error("engine: log buffer full (database not accepting writes); dropping lines");
    return;
  }
  guard(execution_id);
  batch_.logs.push_back({0, execution_id, node_id, attempt, std::string(stream), std::string(level),
                         std::move(message), format_time(at)});
}

Result<std::vector<std::string>> ExecutionRecorder::commit() {
  if (batch_.empty()) return std::vector<std::string>{};
  batch_.at = format_time(clock_.now());
  auto result = journal_.apply(batch_);
  if (!result) {
    metrics_.journal_error();
    ++failed_attempts_;
    spdlog::error("engine: recording {} change(s) and {} log line(s) failed (attempt {}): {}",
                  batch_.changes.size(), batch_.logs.size(), failed_attempts_,
                  result.error().to_string());
    if (failed_attempts_ >= kMaxCommitAttempts) {
      spdlog::error("engine: dropping a batch the database refused {} times", failed_attempts_);
      batch_ = {};
      events_.clear();
      failed_attempts_ = 0;
    }
    return result.error();
  }
  failed_attempts_ = 0;
  const std::set<std::string> fenced(result->fenced.begin(), result->fenced.end());
  for (const std::string& id : result->fenced)
    spdlog::warn("engine: execution {} is owned by another server now: its changes were not "
                 "written",
                 id);
  publish_committed(result->log_seqs, fenced);
  batch_ = {};
  events_.clear();
  return std::move(result->fenced);
}

void ExecutionRecorder::record(EngineEvent event) {
  events_.push_back({std::move(event), batch_.logs.size()});
}

void ExecutionRecorder::guard(const std::string& execution_id) {
  if (!owner_of_ || batch_.owners.contains(execution_id)) return;
  if (std::optional<store::OwnerGuard> owner = owner_of_(execution_id))
    batch_.owners.emplace(execution_id, std::move(*owner));
}

void ExecutionRecorder::discard(const std::string& id) {
  store::ExecutionBatch& b = batch_;
  // Lines first: every event's count of lines logged before it shrinks by
  // the discarded lines among them.
  std::vector<size_t> kept_before(b.logs.size() + 1, 0);
  std::vector<store::LogLineRecord> logs;
  for (size_t i = 0; i < b.logs.size(); ++i) {
    kept_before[i] = logs.size();
    if (b.logs[i].execution_id != id) logs.push_back(std::move(b.logs[i]));
  }
  kept_before[b.logs.size()] = logs.size();
  b.logs = std::move(logs);
  std::erase_if(events_, [&](const PendingEvent& p) { return p.event.execution_id == id; });
  for (PendingEvent& p : events_) p.lines_before = kept_before[p.lines_before];
  std::erase_if(b.new_nodes, [&](const auto& n) { return n.execution_id == id; });
  std::erase_if(b.changes, [&](const store::RowChange& c) {
    if (const auto* n = std::get_if<store::NodeChange>(&c)) return n->row.execution_id == id;
    return std::get<store::ExecutionChange>(c).row.id == id;
  });
  std::erase_if(b.artifacts, [&](const auto& a) { return a.execution_id == id; });
  std::erase_if(b.checkpoints, [&](const auto& c) { return c.execution_id == id; });
  std::erase_if(b.approvals, [&](const auto& a) { return a.execution_id == id; });
  std::erase_if(b.approval_resolutions, [&](const auto& r) { return r.execution_id == id; });
  b.owners.erase(id);
}

void ExecutionRecorder::publish_committed(const std::vector<int64_t>& log_seqs,
                                          const std::set<std::string>& fenced) {
  // Recorded order: each event after the lines logged before it, so a
  // subscriber has every line of a node before it sees the node finish.
  size_t lines_published = 0;
  for (PendingEvent& p : events_) {
    publish_logs(lines_published, p.lines_before, log_seqs, fenced);
    lines_published = p.lines_before;
    if (!fenced.contains(p.event.execution_id)) bus_.publish(std::move(p.event));
  }
  publish_logs(lines_published, batch_.logs.size(), log_seqs, fenced);
}

void ExecutionRecorder::publish_logs(size_t begin, size_t end,
                                     const std::vector<int64_t>& log_seqs,
                                     const std::set<std::string>& fenced) {
  if (begin >= end || !bus_.wanted(EventKind::kLogs)) return;
  // One event per (execution, node) with its lines, in first-line order.
  std::map<std::pair<std::string, std::string>, size_t> slot;
  std::vector<EngineEvent> out;
  for (size_t i = begin; i < end; ++i) {
    const store::LogLineRecord& l = batch_.logs[i];
    if (fenced.contains(l.execution_id)) continue;  // not written (its seq is 0)
    auto key = std::make_pair(l.execution_id, l.node_id);
    auto [it, inserted] = slot.emplace(key, out.size());
    if (inserted) {
      EngineEvent e;
      e.kind = EventKind::kLogs;
      e.execution_id = l.execution_id;
      e.node_id = l.node_id;
      e.at = clock_.now();
      e.data = {{"lines", Json::array()}};
      out.push_back(std::move(e));
    }
    out[it->second].data["lines"].push_back({{"seq", i < log_seqs.size() ? log_seqs[i] : 0},
                                             {"attempt", l.attempt},
                                             {"stream", l.stream},
                                             {"level", l.level},
                                             {"message", l.message},
                                             {"at", l.created_at}});
  }
  for (EngineEvent& e : out) bus_.publish(std::move(e));
}

}  // namespace opz::engine
