#include "api/approval_changes.h"

#include <filesystem>

#include "core/json_optional.h"
#include "engine/workspace.h"
#include "store/deployment_store.h"
#include "store/execution_store.h"
#include "trigger/git_log.h"

namespace opz::api {

namespace {

// The version the request would deploy: its execution's deployment row, else
// the version a rollback or promotion carries in its metadata.
std::string target_version(ApiContext& ctx, const store::ExecutionRecord& e) {
  store::DeploymentFilter f;
  f.execution_id = e.id;
  auto rows = store::DeploymentStore(ctx.db, ctx.clock).list(f, {"", 1});
  if (rows && !rows->items.empty() && !rows->items.front().version.empty())
    return rows->items.front().version;
  const Json& d = e.metadata.contains("deployment") ? e.metadata["deployment"] : Json();
  if (d.is_object() && d.contains("version") && d["version"].is_string())
    return d["version"].get<std::string>();
  return {};
}

// The local repository holding the execution's commits, or why there is none.
Result<std::string> local_repository(ApiContext& ctx, const store::ExecutionRecord* e,
                                     const std::string& project_id) {
  engine::WorkspaceSource source;
  if (e && e->metadata.contains("workspace")) {
    auto s = engine::WorkspaceSource::from_json(e->metadata["workspace"]);
    if (s) source = *s;
  }
  if (source.kind == engine::WorkspaceSource::Kind::kDirectory) return source.path;
  if (source.kind == engine::WorkspaceSource::Kind::kNone && !project_id.empty()) {
    auto project = ctx.projects.find_project(project_id);
    if (project && !project->git_url.empty()) {
      source.kind = engine::WorkspaceSource::Kind::kGit;
      source.git_url = project->git_url;
    }
  }
  if (source.kind != engine::WorkspaceSource::Kind::kGit)
    return Error::not_found("The execution has no git source to read commits from");
  if (ctx.data_dir.empty()) return Error::not_found("This server keeps no local git mirror");
  const std::string mirror = engine::mirror_dir(ctx.data_dir, source.git_url);
  std::error_code ec;
  if (!std::filesystem::is_directory(mirror, ec))
    return Error::not_found("There is no local mirror of " + source.git_url +
                            " yet (the first checkout makes it)");
  return mirror;
}

}  // namespace

Result<Json> approval_changes_json(ApiContext& ctx, const store::ApprovalRecord& a) {
  auto execution = store::ExecutionStore(ctx.db).find(a.execution_id, false);
  const store::ExecutionRecord* e = execution ? &*execution : nullptr;
  Json out{{"environment", a.environment},
           {"project_id", string_or_null(a.project_id)},
           {"target",
            {{"commit_sha", string_or_null(a.commit_sha)},
             {"version", e ? string_or_null(target_version(ctx, *e)) : Json(nullptr)}}},
           {"current", nullptr},
           {"commits", Json::array()},
           {"commits_truncated", false},
           {"commits_error", nullptr}};
  std::optional<store::DeploymentRecord> current;
  if (!a.project_id.empty()) {
    OPZ_TRY(
        current,
        store::DeploymentStore(ctx.db, ctx.clock).current_deployment(a.project_id, a.environment));
  }
  if (current) {
    out["current"] = {
        {"deployment_id", current->id},
        {"version", string_or_null(current->version)},
        {"commit_sha", string_or_null(current->commit_sha)},
        {"deployed_at", string_or_null(current->completed_at.empty() ? current->created_at
                                                                     : current->completed_at)}};
  }
  auto why_not = [&](std::string reason) {
    out["commits_error"] = std::move(reason);
    return out;
  };
  if (!current) return why_not("Nothing is deployed to " + a.environment + " yet");
  if (current->commit_sha.empty())
    return why_not("The current deployment of " + a.environment + " names no commit");
  if (a.commit_sha.empty()) return why_not("The request names no commit");
  auto repo = local_repository(ctx, e, a.project_id);
  if (!repo) return why_not(repo.error().message);
  // GET handlers run on an HTTP I/O thread: a local git log takes
  // milliseconds, and a stuck one must not hold the thread for long.
  trigger::GitRemoteOptions git;
  git.timeout = std::chrono::seconds(3);
  git.max_output_bytes = 1u << 20;
  auto log =
      trigger::commits_between(*repo, current->commit_sha, a.commit_sha, kMaxChangeCommits, git);
  if (!log) return why_not("Reading the commits failed: " + log.error().message);
  for (const auto& c : log->commits)
    out["commits"].push_back(
        {{"sha", c.sha}, {"subject", c.subject}, {"author", c.author}, {"date", c.date}});
  out["commits_truncated"] = log->truncated;
  return out;
}

}  // namespace opz::api
