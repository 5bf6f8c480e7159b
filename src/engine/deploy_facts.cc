#include "engine/deploy_facts.h"

#include "core/git_ref_name.h"
#include "governance/branch_mapper.h"

namespace opz::engine {

namespace {

std::string text_at(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

GitRef ref_of(const ExternalNodeRequest& r) {
  return r.tag.empty() ? GitRef{RefType::kBranch, r.branch, ""} : GitRef{RefType::kTag, r.tag, ""};
}

}  // namespace

Result<DeployFacts> deploy_facts(const ExternalNodeRequest& request) {
  DeployFacts f;
  const Json& meta = request.metadata;
  const Json empty = Json::object();
  const Json& deployment =
      meta.is_object() && meta.contains("deployment") && meta["deployment"].is_object()
          ? meta["deployment"]
          : empty;
  f.deployment_id = text_at(deployment, "id");
  f.kind = text_at(deployment, "kind");
  if (f.kind.empty()) f.kind = "deploy";
  f.rollback_of = text_at(deployment, "rollback_of");
  f.reason = text_at(deployment, "reason");
  f.artifact_id = text_at(deployment, "artifact_id");
  f.commit_sha = text_at(deployment, "commit_sha");
  if (f.commit_sha.empty()) f.commit_sha = request.commit_sha;

  f.version = text_at(deployment, "version");
  const std::string mapped_tag = text_at(meta, "image_tag");
  if (f.version.empty() && request.node.deploy && !request.node.deploy->version.empty()) {
    auto rendered = governance::render_image_tag(request.node.deploy->version, ref_of(request),
                                                 f.commit_sha, request.tag);
    if (!rendered)
      return Error::validation("deploy node '" + request.node.id +
                                   "': version: " + rendered.error().message,
                               "version");
    f.version = std::move(*rendered);
  }
  // The mapping's template when the trigger could not render it yet (an API
  // start learns its commit at checkout).
  std::string rendered_mapping;
  if (mapped_tag.empty() && !text_at(meta, "image_tag_template").empty()) {
    auto rendered = governance::render_image_tag(text_at(meta, "image_tag_template"),
                                                 ref_of(request), f.commit_sha, request.tag);
    if (rendered) rendered_mapping = std::move(*rendered);
  }
  const std::string& mapping_tag = !mapped_tag.empty() ? mapped_tag : rendered_mapping;
  if (f.version.empty()) f.version = mapping_tag;
  if (f.version.empty()) f.version = request.tag;
  if (f.version.empty() && !f.commit_sha.empty()) f.version = f.commit_sha.substr(0, 7);
  if (f.version.empty()) f.version = "exec-" + request.execution_id.substr(0, 8);

  f.image_tag = text_at(deployment, "image_tag");
  if (f.image_tag.empty()) f.image_tag = mapping_tag;
  if (f.image_tag.empty()) f.image_tag = f.version;

  if (meta.is_object() && meta.contains("replicas") && meta["replicas"].is_number_integer()) {
    const int64_t r = meta["replicas"].get<int64_t>();
    if (r >= 1 && r <= 1000) f.replicas = static_cast<int>(r);
  }
  return f;
}

}  // namespace opz::engine
