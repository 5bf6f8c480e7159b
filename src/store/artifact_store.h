// ArtifactStore: artifacts registered from outside an execution — a
// registry's push notification (/functions/v1/artifact-webhook) — and the
// list of a project's artifacts. Artifacts a step declares are written by the
// engine (execution_recorder); both land in the seeds' `artifacts` table.
//
// A registered push is linked to an execution of the project when one can be
// found, first that applies:
//   1. an artifact with the same image_digest already linked to an
//      execution of the project (the build that produced the image, or an
//      earlier push of the same image under another tag);
//   2. the newest execution of the project whose commit_hash is the push's
//      revision (a full sha, or a prefix of at least 7 hex digits);
// else execution_id stays NULL. The project is kept in metadata.project_id
// (the seeds' table has no project column).
//
// A push already registered for the project (same repository, digest and
// tag) is not registered again: register_push() answers the existing row with
// `duplicate` set. Call it inside the caller's write transaction so that all
// pushes of one notification are stored, or none. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/execution_store.h"

namespace opz::store {

// An artifacts row read with the columns id, name, type, size_bytes, metadata,
// created_at and COALESCE(…, '') of execution_id, node_id, image_digest,
// image_tag, registry_url (metadata that is not a JSON object reads as {}).
ArtifactRecord artifact_from_row(const Row& r);

struct ArtifactPush {
  std::string project_id;
  std::string repository;    // becomes `name`
  std::string digest;
  std::string tag;           // "" when none
  std::string registry_url;
  std::optional<int64_t> size_bytes;
  std::string revision;      // 7..40 lower-case hex, or ""
  Json metadata = Json::object();
};

struct ArtifactRegistration {
  ArtifactRecord artifact;
  bool duplicate = false;
};

class ArtifactStore {
 public:
  ArtifactStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<ArtifactRegistration> register_push(SqlSession& tx, const ArtifactPush& push);

  // The project's artifacts, registered or produced by its executions, newest
  // first, at most `limit`.
  Result<std::vector<ArtifactRecord>> list_for_project(const std::string& project_id, int limit);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
