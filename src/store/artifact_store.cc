#include "store/artifact_store.h"

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"
#include "store/sql_dialect.h"

namespace opz::store {

namespace {

constexpr const char* kArtifactColumns =
    "a.id, a.name, COALESCE(a.execution_id, '') AS execution_id, "
    "COALESCE(a.node_id, '') AS node_id, COALESCE(a.image_digest, '') AS image_digest, "
    "COALESCE(a.image_tag, '') AS image_tag, COALESCE(a.registry_url, '') AS registry_url, "
    "a.type, a.size_bytes, a.metadata, a.created_at";

}  // namespace

ArtifactRecord artifact_from_row(const Row& r) {
  ArtifactRecord a;
  a.id = r["id"].as_text();
  a.name = r["name"].as_text();
  a.execution_id = r["execution_id"].as_text();
  a.node_id = r["node_id"].as_text();
  a.image_digest = r["image_digest"].as_text();
  a.image_tag = r["image_tag"].as_text();
  a.registry_url = r["registry_url"].as_text();
  a.type = r["type"].as_text();
  if (!r["size_bytes"].is_null()) a.size_bytes = r["size_bytes"].as_int();
  auto metadata = parse_json(r["metadata"].as_text());
  if (metadata && metadata->is_object()) a.metadata = std::move(metadata).value();
  a.created_at = r["created_at"].as_text();
  return a;
}

namespace {

// The execution a push belongs to (see the header), or "".
Result<std::string> linked_execution(SqlSession& tx, const ArtifactPush& p) {
  OPZ_TRY(Rows built, tx.query("SELECT a.execution_id FROM artifacts a JOIN executions e ON "
                               "e.id = a.execution_id WHERE a.image_digest = $1 AND "
                               "e.project_id = $2 ORDER BY a.created_at DESC LIMIT 1",
                               {p.digest, p.project_id}));
  if (!built.empty()) return built[0]["execution_id"].as_text();
  if (p.revision.size() < 7) return std::string();
  OPZ_TRY(Rows commits,
          tx.query("SELECT id FROM executions WHERE project_id = $1 AND (commit_hash = $2 OR "
                   "(length($2) < 40 AND substr(commit_hash, 1, length($2)) = $2)) "
                   "ORDER BY created_at DESC, id DESC LIMIT 1",
                   {p.project_id, p.revision}));
  if (!commits.empty()) return commits[0]["id"].as_text();
  return std::string();
}

}  // namespace

Result<ArtifactRegistration> ArtifactStore::register_push(SqlSession& tx, const ArtifactPush& p) {
  OPZ_TRY(Rows seen,
          tx.query(std::string("SELECT ") + kArtifactColumns +
                       " FROM artifacts a WHERE a.name = $1 AND a.image_digest = $2 AND "
                       "COALESCE(a.image_tag, '') = $3 AND " +
                       json_text(tx, "a.metadata", "project_id") + " = $4 AND " +
                       json_text(tx, "a.metadata", "registered_by") + " = 'webhook' LIMIT 1",
                   {p.repository, p.digest, p.tag, p.project_id}));
  if (!seen.empty()) return ArtifactRegistration{artifact_from_row(seen[0]), true};
  ArtifactRecord a;
  a.id = new_uuid();
  a.name = p.repository;
  OPZ_TRY(a.execution_id, linked_execution(tx, p));
  a.image_digest = p.digest;
  a.image_tag = p.tag;
  a.registry_url = p.registry_url;
  a.type = "docker";
  a.size_bytes = p.size_bytes;
  a.metadata = p.metadata.is_object() ? p.metadata : Json::object();
  a.metadata["project_id"] = p.project_id;
  a.metadata["registered_by"] = "webhook";
  if (!p.revision.empty()) a.metadata["revision"] = p.revision;
  a.created_at = format_time(clock_.now());
  OPZ_TRY_STATUS(tx.exec(
      "INSERT INTO artifacts (id, name, execution_id, node_id, image_digest, image_tag, "
      "registry_url, type, size_bytes, metadata, created_at) VALUES ($1, $2, $3, NULL, $4, $5, "
      "$6, $7, $8, $9, $10)",
      {a.id, a.name, text_or_null(a.execution_id), a.image_digest, text_or_null(a.image_tag),
       text_or_null(a.registry_url), a.type, a.size_bytes ? SqlValue(*a.size_bytes) : SqlValue(),
       dump_json(a.metadata), a.created_at}));
  return ArtifactRegistration{std::move(a), false};
}

Result<std::vector<ArtifactRecord>> ArtifactStore::list_for_project(const std::string& project_id,
                                                                    int limit) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ArtifactRecord>> {
    OPZ_TRY(Rows rows,
            s.query(std::string("SELECT ") + kArtifactColumns +
                        " FROM artifacts a LEFT JOIN executions e ON e.id = a.execution_id "
                        "WHERE e.project_id = $1 OR " +
                        json_text(s, "a.metadata", "project_id") +
                        " = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
                    {project_id, static_cast<int64_t>(limit)}));
    std::vector<ArtifactRecord> out;
    out.reserve(rows.size());
    for (const Row& r : rows) out.push_back(artifact_from_row(r));
    return out;
  });
}

}  // namespace opz::store
