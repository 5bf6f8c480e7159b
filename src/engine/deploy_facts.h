// DeployFacts: what one attempt of a deploy node deploys — the version tag,
// commit, image tag, replicas and artifact, and whether it is a rollback or a
// promotion adopting a deployment row the API created. Derived from the
// external node request (the node, the execution's refs and metadata) without
// I/O, so the rules are tested as plain values.
//
// Version, in order: metadata.deployment.version (rollback / promotion: the
// target's), the node's `version` template ({sha} {sha7} {tag} {branch}
// {short_ref}, rendered like a branch mapping's image tag), metadata.image_tag
// (the branch mapping's rendered template, e.g. "staging-abc1234"; or
// metadata.image_tag_template rendered now, for an API start whose commit was
// only known at checkout), the tag,
// the first 7 characters of the commit, else "exec-" + the execution id's
// first 8 characters. image_tag: metadata.deployment.image_tag, else
// metadata.image_tag, else the version. replicas: metadata.replicas when >= 1,
// else 1. Thread-safe (pure).
#pragma once

#include <string>

#include "core/result.h"
#include "engine/external_node.h"

namespace opz::engine {

struct DeployFacts {
  std::string deployment_id;  // set by the API (rollback / promotion): adopt that row
  std::string kind;           // "deploy" | "rollback" | "promotion"
  std::string rollback_of;    // rollback: the deployment whose version is restored
  std::string reason;
  std::string version;
  std::string commit_sha;
  std::string image_tag;
  std::string artifact_id;  // empty: the execution's latest artifact, if any
  int replicas = 1;
};

// kValidation when the node's `version` template cannot be rendered (unknown
// placeholder, {tag} without a tag, a result that is no valid tag).
Result<DeployFacts> deploy_facts(const ExternalNodeRequest& request);

}  // namespace opz::engine
