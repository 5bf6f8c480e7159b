// DeploymentStore: deployments, their version history, health/analysis
// probes, rollback holds and project lifecycles (tables deployments,
// deployment_versions, deployment_probes, deployment_holds,
// lifecycle_phases; migration 010).
//
// Contracts:
// - Exactly one current version per (project, environment): succeed() clears
//   the old current row and inserts the new one in ONE transaction, and the
//   unique partial index deployment_versions_current_idx refuses a second
//   current row even if two servers race (the loser's transaction retries on
//   the writer, never leaves two).
// - History is complete (never pruned) and ordered newest first by
//   (created_at, id).
// - At most one active hold per (project, environment) (unique partial
//   index); hold() on an environment that already has one returns it.
// - Every mutating call is one transaction; `also` (when given) runs inside
//   it (the audit row), so the change and its audit commit together.
// Times are the store's text format (core/time_format.h). Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

// deployments.status: pending | running | success | failed | rolled_back |
// cancelled | blocked ('blocked': a pre-deploy hook failed, nothing changed).
struct DeploymentRecord {
  std::string id;
  std::string execution_id;
  std::string node_id;
  std::string project_id;
  std::string environment;
  std::string version;  // the version tag
  std::string commit_sha;
  std::string image_tag;
  std::string artifact_id;  // empty: none registered
  std::string status = "pending";
  std::string strategy = "rolling";  // rolling | recreate | blue_green | canary
  std::string phase;                 // free text while running: "health_check", "canary 10%", ...
  std::string slot;                  // blue_green: the slot this version runs in
  int canary_weight = 0;
  std::string deployed_by;
  std::string started_at;    // empty until running
  std::string completed_at;  // empty until finished
  std::string rollback_of;   // the earlier deployment whose version this one restores
  std::string reason;
  std::string created_at;
  std::string updated_at;
};

struct DeploymentVersionRecord {
  std::string id;
  std::string project_id;
  std::string deployment_id;
  std::string environment;
  std::string version_tag;
  std::string commit_sha;
  std::string image_tag;
  std::string artifact_id;
  bool is_current = false;
  bool marked_bad = false;
  std::string marked_bad_reason;
  std::string created_at;
};

// One history row: the deployment joined with its version row (if any).
struct DeploymentHistoryItem {
  DeploymentRecord deployment;
  bool is_current = false;
  bool marked_bad = false;
};

// One health-check or analysis probe of a deployment.
struct DeploymentProbeRecord {
  std::string id;
  std::string deployment_id;
  std::string kind = "health";  // health | analysis
  std::string target;           // url or command
  bool ok = false;
  int64_t latency_ms = 0;
  std::optional<int> status_code;  // http probes
  std::optional<double> value;     // analysis samples
  std::string error;
  std::string created_at;
};

struct DeploymentHoldRecord {
  std::string id;
  std::string project_id;
  std::string environment;
  std::string deployment_id;  // the rollback (or failed deployment) that set it
  std::string version_tag;    // the version that was marked bad
  std::string reason;
  std::string created_by;
  std::string created_at;
  std::string released_by;  // empty while active
  std::string released_at;
};

// One phase of a project's lifecycle (Octopus-style): a version may enter
// `environment` only after it succeeded in the previous phase's environment
// at least `soak_seconds` ago. Position 0 has no prerequisite.
struct LifecyclePhaseRecord {
  int position = 0;
  std::string environment;
  int64_t soak_seconds = 0;
};

struct DeploymentFilter {
  std::string project_id;   // empty: any
  std::string environment;  // empty: any
  std::string status;       // empty: any
  std::string execution_id; // empty: any
};

using DeploymentAlso = std::function<Status(SqlSession& tx)>;

class DeploymentStore {
 public:
  DeploymentStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Inserts `d` (id generated when empty; created_at/updated_at now). kNotFound
  // for an unknown project; kConflict for an existing id; kValidation (with the
  // field) for an empty project_id or environment, an unknown status or
  // strategy, a slot other than blue/green, a canary weight outside 0..100.
  Result<DeploymentRecord> create(DeploymentRecord d, const DeploymentAlso& also = {});
  Result<DeploymentRecord> find(const std::string& id);
  // The deployment a deploy node attempt writes: by (execution_id, node_id),
  // newest first; kNotFound when none.
  Result<DeploymentRecord> find_for_node(const std::string& execution_id,
                                         const std::string& node_id);
  Result<Page<DeploymentRecord>> list(const DeploymentFilter& filter, const PageRequest& page);

  // running: sets status 'running', started_at (first time), and the given
  // fields of `d` that describe the attempt (version, commit_sha, image_tag,
  // artifact_id, strategy, slot, phase, deployed_by; an empty one keeps the
  // stored value, strategy always applies). kNotFound for an unknown id;
  // kConflict when the deployment already ended (a retry is a new deployment).
  Status start(const DeploymentRecord& d);
  // Progress while running: phase text (empty clears it), slot (empty keeps
  // it), canary weight. kNotFound for an unknown id.
  Status progress(const std::string& id, const std::string& phase, const std::string& slot,
                  int canary_weight);
  // The deployment succeeded: status 'success', completed_at, and — in the same
  // transaction — its version becomes the one current version of its
  // (project, environment). Returns the new version row. kConflict when it
  // already ended otherwise; a repeated call on a succeeded deployment returns
  // its row unchanged; kValidation when it has no version.
  Result<DeploymentVersionRecord> succeed(const std::string& id, const DeploymentAlso& also = {});
  // Ends it with `status` (failed | rolled_back | cancelled | blocked) and the
  // reason; the current version is unchanged. When `mark_bad` the deployment's
  // version row is recorded (not current) with marked_bad and the reason.
  // kValidation for another status; kConflict when it already ended.
  Status finish(const std::string& id, const std::string& status, const std::string& reason,
                bool mark_bad, const DeploymentAlso& also = {});
  // Marks every version row of (project, environment, version_tag) bad;
  // kNotFound when there is none.
  Status mark_bad(const std::string& project_id, const std::string& environment,
                  const std::string& version_tag, const std::string& reason);

  // The current version of (project, environment), or nullopt.
  Result<std::optional<DeploymentVersionRecord>> current(const std::string& project_id,
                                                         const std::string& environment);
  // The deployment whose version is current, or nullopt.
  Result<std::optional<DeploymentRecord>> current_deployment(const std::string& project_id,
                                                             const std::string& environment);
  // Every deployment of (project, environment), newest first, with is_current /
  // marked_bad of its version row.
  Result<Page<DeploymentHistoryItem>> history(const std::string& project_id,
                                              const std::string& environment,
                                              const PageRequest& page);
  // The latest successful deployment of `commit_sha` (or, when empty, of
  // `version_tag`) to (project, environment), or nullopt: the lifecycle rule's
  // "did this version succeed in the previous environment, and when".
  // Newest completed first; nullopt when both commit_sha and version_tag are empty.
  Result<std::optional<DeploymentRecord>> latest_success(const std::string& project_id,
                                                         const std::string& environment,
                                                         const std::string& commit_sha,
                                                         const std::string& version_tag);

  // id and created_at filled when empty. kNotFound for an unknown deployment.
  Status record_probe(DeploymentProbeRecord probe);
  // Newest first (equal times: last recorded first), at most `limit`.
  Result<std::vector<DeploymentProbeRecord>> probes(const std::string& deployment_id, int limit);

  // Holds automatic deploys to (project, environment) until released; returns
  // the active hold (the existing one when there is one; `also` then does not
  // run). kNotFound for an unknown project.
  Result<DeploymentHoldRecord> hold(DeploymentHoldRecord hold, const DeploymentAlso& also = {});
  Result<std::optional<DeploymentHoldRecord>> active_hold(const std::string& project_id,
                                                          const std::string& environment);
  // kNotFound when there is no active hold. `also` runs only when one is released.
  Result<DeploymentHoldRecord> release_hold(const std::string& project_id,
                                            const std::string& environment,
                                            const std::string& released_by,
                                            const DeploymentAlso& also = {});
  // Newest first.
  Result<std::vector<DeploymentHoldRecord>> holds(const std::string& project_id,
                                                  bool active_only);

  // The project's lifecycle, in position order (empty: none).
  Result<std::vector<LifecyclePhaseRecord>> lifecycle(const std::string& project_id);
  // Replaces it (positions renumbered 0..n-1). kNotFound for an unknown project;
  // kValidation for an empty or repeated environment or a negative soak.
  Status set_lifecycle(const std::string& project_id, std::vector<LifecyclePhaseRecord> phases,
                       const DeploymentAlso& also = {});

 private:
  Database& db_;
  const Clock& clock_;
};

// For callers inside a transaction (the admission path's facts).
Result<std::optional<DeploymentHoldRecord>> load_active_hold(SqlSession& s,
                                                             const std::string& project_id,
                                                             const std::string& environment);
Result<std::vector<LifecyclePhaseRecord>> load_lifecycle(SqlSession& s,
                                                         const std::string& project_id);
Result<std::optional<DeploymentRecord>> load_latest_success(SqlSession& s,
                                                            const std::string& project_id,
                                                            const std::string& environment,
                                                            const std::string& commit_sha,
                                                            const std::string& version_tag);

}  // namespace opz::store
