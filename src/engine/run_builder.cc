#include "engine/run_builder.h"

#include <array>
#include <filesystem>

#include "core/ids.h"
#include "core/time_format.h"
#include "engine/checkpoint_state.h"
#include "engine/ci_only.h"
#include "engine/node_outputs.h"
#include "pipeline/pipeline_json.h"

namespace opz::engine {

namespace {

std::string default_name(const NewExecution& r, const pipeline::Pipeline* p) {
  std::string base = p && !p->name.empty() ? p->name : r.pipeline_path;
  if (!r.commit_sha.empty()) base += " @ " + r.commit_sha.substr(0, 7);
  return base;
}

std::unique_ptr<pipeline::Plan> make_plan(const ExecutionRun& run, int max_parallel) {
  return std::make_unique<pipeline::Plan>(
      run.pipeline, pipeline::PlanOptions{.max_parallel = max_parallel, .fail_fast = false},
      run.context());
}

}  // namespace

bool is_trigger_type(std::string_view type) {
  constexpr std::array<std::string_view, 11> kTypes = {
      "manual", "push",   "pull_request", "tag", "release",  "poll",
      "rerun",  "replay", "cli",          "rollback", "promotion"};
  for (auto t : kTypes)
    if (t == type) return true;
  return false;
}

Result<CanonicalPipeline> canonicalize(const pipeline::Pipeline& p) {
  Json json = pipeline::to_json(p);
  OPZ_TRY(pipeline::Pipeline checked, pipeline::pipeline_from_json(json));
  // Serialize the checked form: it is in topological order.
  return CanonicalPipeline{checked, dump_json(pipeline::to_json(checked))};
}

void attach_pipeline(ExecutionRun& run, pipeline::Pipeline pipeline, TimePoint now,
                     int max_parallel) {
  run.pipeline = std::move(pipeline);
  const std::string at = format_time(now);
  run.nodes.clear();
  run.nodes.resize(run.pipeline.nodes.size());
  run.index.clear();
  run.index.reserve(run.pipeline.nodes.size());
  for (size_t i = 0; i < run.pipeline.nodes.size(); ++i) {
    const pipeline::Node& n = run.pipeline.nodes[i];
    store::ExecutionNodeRecord& r = run.nodes[i].row;
    r.id = new_uuid();
    r.execution_id = run.row.id;
    r.node_id = n.id;
    r.name = n.name;
    r.type = std::string(pipeline::to_string(n.type));
    r.status = "pending";
    r.max_attempts = std::max(1, n.retry.max_attempts);
    r.position = static_cast<int>(i);
    r.created_at = r.updated_at = at;
    run.index.emplace(n.id, i);
  }
  run.plan = make_plan(run, max_parallel);
}

Result<std::unique_ptr<ExecutionRun>> build_new_run(NewExecution r, const std::string& data_dir,
                                                    TimePoint now, int max_parallel) {
  if (!is_trigger_type(r.trigger_type))
    return Error::validation("unknown trigger type '" + r.trigger_type + "'", "trigger_type");
  std::optional<CanonicalPipeline> canonical;
  if (r.pipeline_from_repository) {
    if (r.workspace.kind != WorkspaceSource::Kind::kGit &&
        r.workspace.kind != WorkspaceSource::Kind::kDirectory)
      return Error::validation(
          "a pipeline read from the repository needs a git or directory "
          "workspace",
          "workspace");
    if (r.pipeline_path.empty() || r.pipeline_path.find("..") != std::string::npos ||
        r.pipeline_path[0] == '/')
      return Error::validation("pipeline_path must be a relative path inside the repository",
                               "pipeline_path");
  } else {
    if (!r.pipeline) return Error::validation("a pipeline is required", "pipeline");
    // CI only (engine/ci_only.h): drop deploy/approval nodes and their dependents.
    std::optional<pipeline::Pipeline> ci;
    if (is_ci_only(r.metadata)) {
      OPZ_TRY(pipeline::Pipeline filtered, ci_only_pipeline(*r.pipeline));
      ci = std::move(filtered);
    }
    OPZ_TRY(CanonicalPipeline c, canonicalize(ci ? *ci : *r.pipeline));
    canonical = std::move(c);
  }
  if (r.workspace.kind == WorkspaceSource::Kind::kDirectory) {
    std::error_code ec;
    if (!std::filesystem::is_directory(r.workspace.path, ec))
      return Error::validation("workspace directory " + r.workspace.path + " does not exist",
                               "workspace.path");
  }

  auto run = std::make_unique<ExecutionRun>();
  store::ExecutionRecord& e = run->row;
  e.id = r.id.empty() ? new_uuid() : r.id;
  e.name = !r.name.empty() ? r.name : default_name(r, canonical ? &canonical->pipeline : nullptr);
  e.project_id = r.project_id;
  e.flow_template_id = r.flow_template_id;
  e.status = r.held ? "paused" : "idle";
  e.environment = r.environment;
  e.branch = r.branch;
  e.commit_hash = r.commit_sha;
  e.governance_status = r.governance_status;
  e.started_by = r.started_by;
  e.trigger_type = r.trigger_type;
  e.metadata = r.metadata.is_object() ? r.metadata : Json::object();
  e.metadata["tag"] = r.tag;
  e.metadata["workspace"] = r.workspace.to_json();
  e.metadata["pipeline_source"] = r.pipeline_from_repository ? "repository" : "given";
  e.metadata["pipeline_path"] = r.pipeline_path;
  e.created_at = e.updated_at = format_time(now);

  run->tag = r.tag;
  run->source = r.workspace;
  run->pipeline_from_repository = r.pipeline_from_repository;
  run->pipeline_path = r.pipeline_path;
  run->outputs_dir = outputs_dir(data_dir, e.id);
  run->workspace = r.workspace.kind == WorkspaceSource::Kind::kDirectory
                       ? r.workspace.path
                       : workspace_dir(data_dir, e.id);
  if (canonical) {
    e.pipeline = std::move(canonical->json_text);
    attach_pipeline(*run, std::move(canonical->pipeline), now, max_parallel);
  }
  return run;
}

Result<std::unique_ptr<ExecutionRun>> build_run_from_journal(
    store::ExecutionRecord row, std::vector<store::ExecutionNodeRecord> nodes,
    const std::string& data_dir, int max_parallel) {
  auto run = std::make_unique<ExecutionRun>();
  const Json& meta = row.metadata;
  auto text = [&](const char* key) {
    return meta.contains(key) && meta[key].is_string() ? meta[key].get<std::string>() : "";
  };
  run->tag = text("tag");
  run->pipeline_from_repository = text("pipeline_source") == "repository";
  if (!text("pipeline_path").empty()) run->pipeline_path = text("pipeline_path");
  OPZ_TRY(run->source,
          WorkspaceSource::from_json(meta.contains("workspace") ? meta["workspace"] : Json()));
  auto status = execution_status_from_string(row.status);
  if (!status) return Error::validation("execution " + row.id + " has status " + row.status);
  run->status = *status;
  run->outputs_dir = outputs_dir(data_dir, row.id);
  run->workspace = run->source.kind == WorkspaceSource::Kind::kDirectory
                       ? run->source.path
                       : workspace_dir(data_dir, row.id);
  std::string snapshot = std::move(row.pipeline);
  row.pipeline.clear();
  run->row = std::move(row);
  if (snapshot.empty()) {
    if (!run->pipeline_from_repository)
      return Error::validation("execution " + run->row.id + " has no pipeline snapshot");
    return run;  // still to be read from the checkout
  }
  OPZ_TRY(Json json, parse_json(snapshot));
  OPZ_TRY(pipeline::Pipeline p, pipeline::pipeline_from_json(json));
  run->pipeline = std::move(p);
  run->nodes.resize(run->pipeline.nodes.size());
  for (size_t i = 0; i < run->pipeline.nodes.size(); ++i)
    run->index.emplace(run->pipeline.nodes[i].id, i);
  std::vector<bool> seen(run->nodes.size(), false);
  for (store::ExecutionNodeRecord& n : nodes) {
    auto it = run->index.find(n.node_id);
    if (it == run->index.end())
      return Error::validation("execution " + run->row.id + " has a row for unknown node " +
                               n.node_id);
    run->set_outputs(it->second, outputs_from_json(n.outputs));
    run->nodes[it->second].row = std::move(n);
    seen[it->second] = true;
  }
  for (size_t i = 0; i < seen.size(); ++i)
    if (!seen[i])
      return Error::validation("execution " + run->row.id + " has no row for node " +
                               run->pipeline.nodes[i].id);
  run->plan = make_plan(*run, max_parallel);
  return run;
}

Result<std::map<std::string, RestoredNode>> rerun_restores(
    const store::ExecutionDetail& original, const std::optional<store::CheckpointRecord>& cp,
    bool failed_only) {
  std::map<std::string, RestoredNode> out;
  if (cp) {
    if (cp->execution_id != original.execution.id)
      return Error::validation("checkpoint " + cp->id + " belongs to another execution",
                               "checkpoint_id");
    OPZ_TRY(CheckpointRestore state, read_checkpoint_state(cp->state));
    for (const auto& [node_id, status] : state.previous_nodes) {
      if (status != "success") continue;
      RestoredNode r;
      if (auto it = state.outputs.find(node_id); it != state.outputs.end()) r.outputs = it->second;
      out.emplace(node_id, std::move(r));
    }
    return out;
  }
  if (failed_only) {
    for (const store::ExecutionNodeRecord& n : original.nodes)
      if (n.status == "success") out.emplace(n.node_id, RestoredNode{outputs_from_json(n.outputs)});
  }
  return out;
}

}  // namespace opz::engine
