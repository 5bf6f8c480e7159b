#include "engine/ci_only.h"

#include <set>
#include <string>

namespace opz::engine {

bool is_ci_only(const Json& metadata) {
  if (!metadata.is_object()) return false;
  auto it = metadata.find("ci_only");
  return it != metadata.end() && it->is_boolean() && it->get<bool>();
}

Result<pipeline::Pipeline> ci_only_pipeline(const pipeline::Pipeline& p) {
  pipeline::Pipeline out = p;
  out.nodes.clear();
  std::set<std::string> dropped;
  // Nodes are in topological order, so every need is decided before its user.
  for (const pipeline::Node& n : p.nodes) {
    bool drop = n.type == pipeline::NodeType::kDeploy || n.type == pipeline::NodeType::kApproval;
    for (const std::string& need : n.needs) drop = drop || dropped.count(need) > 0;
    if (drop) {
      dropped.insert(n.id);
    } else {
      out.nodes.push_back(n);
    }
  }
  if (out.nodes.empty())
    return Error::validation(
        "CI only: every node of the pipeline deploys, asks for approval or "
        "needs a node that does; nothing is left to run",
        "nodes");
  return out;
}

}  // namespace opz::engine
