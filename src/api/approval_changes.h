// What an approval request would deploy against what runs now, for the
// approval dialog (GET /api/v1/approvals/{id}/changes):
//   {"environment", "project_id",
//    "target": {"commit_sha", "version" | null},
//    "current": {"deployment_id", "version", "commit_sha", "deployed_at"} | null,
//    "commits": [{"sha", "subject", "author", "date"}], newest first, <= 50,
//    "commits_truncated": bool, "commits_error": string | null}
// `current` is the environment's current deployment (DeploymentStore). The
// commits in (current.commit_sha, target.commit_sha] are read with git log
// from the local repository the engine already keeps for the execution's
// source: the mirror of its git URL under the data dir (engine::mirror_dir),
// or its workspace directory. Nothing is fetched, and git gets 3 s (the
// route runs on an HTTP I/O thread like every GET). When there is no such
// repository, nothing deployed, or git fails, commits is [] and
// commits_error says why in a sentence; the answer is still complete.
#pragma once

#include "api/api_context.h"
#include "core/json.h"
#include "core/result.h"
#include "store/approval_store.h"

namespace opz::api {

inline constexpr int kMaxChangeCommits = 50;

Result<Json> approval_changes_json(ApiContext& ctx, const store::ApprovalRecord& request);

}  // namespace opz::api
