// RoutingRunner: the Runner the engine gets when agents are enabled. A spec
// without runs_on goes to the embedded runner (LocalRunner); a spec with
// runs_on goes to the RemoteRunner, where it waits queued until an agent with
// every label claims it. With `local_fallback` (option
// agents-local-fallback), a spec whose labels no online agent has runs on
// the embedded runner instead of waiting. Ids: RemoteRunner's are >=
// kRemoteIdBase, the embedded runner's below. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "agent/remote_runner.h"
#include "runner/runner.h"

namespace opz::agent {

class RoutingRunner final : public runner::Runner {
 public:
  using AgentAvailable = std::function<bool(const std::vector<std::string>& runs_on)>;
  RoutingRunner(runner::Runner& local, RemoteRunner& remote, AgentAvailable available,
                bool local_fallback);

  runner::ProcessId start(runner::ProcessSpec spec, runner::ProcessCallbacks cb) override;
  void cancel(runner::ProcessId id) override;
  size_t running() const override;
  // Only agents' jobs outlive a server: asks the RemoteRunner.
  runner::Adoption adopt(const runner::AdoptRequest& request,
                         runner::ProcessCallbacks cb) override;

 private:
  runner::Runner& local_;
  RemoteRunner& remote_;
  AgentAvailable available_;
  bool local_fallback_;
};

}  // namespace opz::agent
