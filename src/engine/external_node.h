// ExternalNodeHandler: how node types that do not run shell steps on this
// machine (github_workflow, and whatever comes later) plug into the engine.
// A handler is registered per node type (Engine::register_external_handler);
// a node of that type is handed to it instead of the LocalRunner.
//
// Contract: start() must return quickly (do network I/O on your own thread or
// event loop) and later call reporter.finish() exactly once, from any thread;
// reporter.log() may be called any number of times before that. After
// cancel() the engine has already recorded the node as cancelled/failed: the
// handler should stop its work, and whatever it reports afterwards is ignored.
// Reporters stay valid (and harmless) after the engine stopped.
// Thread-safety: start() and cancel() are called on the engine thread, so they
// must not call Engine methods (report through the reporter instead); handlers
// must be thread-safe with respect to their own workers.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "pipeline/model.h"
#include "runner/output_file.h"

namespace opz::engine {

struct ExternalNodeRequest {
  std::string execution_id;
  std::string project_id;
  std::string node_id;
  int attempt = 1;
  std::string type;              // the node type it was registered for
  Json with;                     // the node's `with` settings
  std::vector<std::string> env;  // the node's step environment ("KEY=VALUE")
  std::string workspace;
  std::string branch;
  std::string tag;
  std::string commit_sha;
  std::string environment;     // the node's `environment`, else the execution's
  std::string started_by;      // who started the execution
  std::string trigger_type;    // the execution's trigger type
  Json metadata;               // the execution's metadata (image_tag, replicas, deployment, ...)
  pipeline::Node node;         // the node as the execution's pipeline defines it
};

struct ExternalNodeResult {
  bool success = false;
  std::string error;             // why it failed (shown as the node's error)
  runner::OutputValues outputs;  // become the node's outputs, like $OPZENIX_OUTPUT
};

struct ExternalNodeReporter {
  // level: debug | info | warn | error. Thread-safe.
  std::function<void(std::string message, std::string level)> log;
  // The first call wins; later calls are ignored. Thread-safe.
  std::function<void(ExternalNodeResult result)> finish;
};

class ExternalNodeHandler {
 public:
  virtual ~ExternalNodeHandler() = default;
  virtual void start(const ExternalNodeRequest& request, ExternalNodeReporter reporter) = 0;
  virtual void cancel(const std::string& execution_id, const std::string& node_id, int attempt) = 0;
};

}  // namespace opz::engine
