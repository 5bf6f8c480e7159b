// DeploymentControl: what operators may do to a deployment while its deploy
// node runs (issue 9: a canary pause "until promoted through the API", an
// operator's abort). The API holds it as an interface; the engine's deploy
// node handler (engine/deploy_node_handler.h) implements it.
// Thread-safe: called from HTTP handler threads.
#pragma once

#include <string>

#include "core/result.h"

namespace opz::engine {

class DeploymentControl {
 public:
  virtual ~DeploymentControl() = default;
  // Ends the current canary pause of the running deployment `deployment_id`.
  // kNotFound: not running here; kConflict: running but not paused.
  virtual Status promote(const std::string& deployment_id) = 0;
  // Aborts a running canary as a failed analysis would (weight 0, the stable
  // version keeps serving). kNotFound / kConflict as above.
  virtual Status abort(const std::string& deployment_id, const std::string& reason) = 0;
};

}  // namespace opz::engine
